"""Classification metrics in numpy: accuracy, confusion matrix, per-class precision/recall.

y_true, y_pred: integer labels of shape (N,). Omits: ROC curves, F-beta for beta != 1.
"""

import numpy as np

from .validate import as_labels


def accuracy(y_true, y_pred):
    """Fraction of equal labels, in [0, 1] (lesson 02_perceptron, lab 01)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_pred: expected shape {y_true.shape} (that of y_true), "
                         f"got {y_pred.shape}")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, num_classes=10):
    """(C, C) int64 counts: row = true class, column = predicted class (lesson
    06_dropout_mnist, lab 01)."""
    t = as_labels(y_true, "y_true", num_classes)
    p = as_labels(y_pred, "y_pred", num_classes, n=t.shape[0])
    return np.bincount(t * num_classes + p, minlength=num_classes ** 2).reshape(
        num_classes, num_classes)


def precision_recall(cm):
    """Per-class precision, recall and F1 from a confusion matrix: three arrays of shape (C,)
    (lesson 06_dropout_mnist, lab 01).
    A class never predicted (or never present) gets 0 rather than a division warning."""
    cm = np.asarray(cm, dtype=np.float64)
    tp = np.diag(cm)
    pred, true = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, pred, out=np.zeros_like(tp), where=pred > 0)
    recall = np.divide(tp, true, out=np.zeros_like(tp), where=true > 0)
    s = precision + recall
    f1 = np.divide(2 * precision * recall, s, out=np.zeros_like(tp), where=s > 0)
    return precision, recall, f1
