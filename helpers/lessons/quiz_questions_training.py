"""Quiz questions of lessons 05-06 (regularization, the MNIST project) shown at the end of
each lesson, as data.

The format of a question is described in ``helpers.lessons.quiz_bank``, which serves them.
"""

QUESTIONS = [
    # ----------------------------------------------------------------------- regularization
    {
        "id": "dropout-bagging",
        "topic": "regularization",
        "source": "syllabus",
        "question": "Which technique performs operations similar to dropout in a neural "
                    "network?",
        "options": ["Bagging", "Boosting", "Stacking", "None of these"],
        "answer": "a",
        "explanation": "Each training step with dropout trains a different thinned network, "
                       "one of exponentially many that all share their weights, and the "
                       "test-time network approximately averages them: bagging with a huge "
                       "number of weight-sharing models, each trained on very few examples. "
                       "Boosting trains models one after another on the previous ones' "
                       "errors; stacking trains a model to combine other models.",
        "why_wrong": {
            "b": "Tempting because boosting also combines many models; but it trains them one "
                 "after another, each on the previous ones' errors, while dropout's thinned "
                 "networks are drawn at random and averaged.",
            "c": "Tempting because stacking combines models too; but it learns a second model "
                 "to combine them, and dropout only averages.",
            "d": "Tempting if the analogy seems loose; but dropout as bagging of thinned "
                 "networks is the standard explanation (Srivastava et al. 2014).",
        },
    },
    {
        "id": "l2-gradient",
        "topic": "regularization",
        "question": "L2 regularization adds (l2/2) * sum(W**2) to the loss. What does it add "
                    "to the gradient with respect to W?",
        "options": ["(l2/2) * W", "l2, subtracted from every weight", "l2 * sign(W)",
                    "l2 * W"],
        "answer": "d",
        "explanation": "The derivative of (l2/2)*W^2 is l2*W. The update becomes "
                       "W <- W - lr*(dL/dW + l2*W) = (1 - lr*l2)*W - lr*dL/dW: with plain SGD "
                       "every step shrinks the weights by the same factor, hence the name "
                       "weight decay.",
        "why_wrong": {
            "a": "The factor 2 of the derivative d(W^2)/dW = 2W is forgotten; it cancels "
                 "the 1/2.",
            "b": "Tempting because L2 'pulls weights down'; but it shrinks each weight in "
                 "proportion to its size, l2*W, not by a fixed amount.",
            "c": "l2 * sign(W) is the gradient of the L1 penalty l2 * sum(|W|), not of L2.",
        },
    },
    {
        "id": "dropout-test-time",
        "topic": "regularization",
        "question": "During training, dropout keeps each unit with probability p. In the "
                    "form used in the lesson slides, what happens at test time?",
        "options": ["Each unit is dropped with probability 1 - p, as in training",
                    "All units are kept; outgoing weights are scaled by p",
                    "All units are kept; outgoing weights are divided by p",
                    "The units dropped most often are removed for good"],
        "answer": "b",
        "explanation": "Scaling by p makes each unit's expected contribution at test time "
                       "equal to its average during training. Inverted dropout (used by most "
                       "libraries and by helpers.models.MLP by default) divides by p during "
                       "training instead, so the test-time network needs no change.",
        "why_wrong": {
            "a": "Tempting because it keeps training and testing alike; but then the same "
                 "image gets different predictions on every call.",
            "c": "Tempting because inverted dropout divides by p; but it does so during "
                 "training. Dividing at test time would inflate the activations.",
            "d": "Tempting because those units seem to matter less; but dropout drops units "
                 "at random, so all units are kept and used at test time.",
        },
    },
    {
        "id": "overfitting-sign",
        "topic": "regularization",
        "question": "A model's training error is low but its test error is high. What is "
                    "this called?",
        "options": ["Underfitting", "Overfitting", "Good generalization",
                    "A vanishing gradient"],
        "answer": "b",
        "explanation": "The model has fitted the training data, noise included, and does not "
                       "generalize. L2 weight decay, dropout, more data or a smaller model "
                       "help; in the slides' MNIST experiment this is the no-dropout case "
                       "(p = 1.0).",
        "why_wrong": {
            "a": "Tempting because the test error is high; but an underfitting model has a "
                 "high training error too.",
            "c": "Tempting because the training error is low; but generalization is judged "
                 "on new data, and the large gap says it fails there.",
            "d": "Tempting because both are training troubles; but a vanishing gradient "
                 "stalls training, so the training error would stay high.",
        },
    },
    {
        "id": "dropout-low-keep",
        "topic": "regularization",
        "question": "In the dropout experiment of the slides (a 784-2048-2048-2048-10 "
                    "network on MNIST), what happens with a very small keep probability, "
                    "p < 0.3?",
        "options": ["Underfitting: even the training error stays high",
                    "Overfitting: training error low, test error high",
                    "The lowest test error of all keep probabilities",
                    "Nothing: the keep probability matters only at test time"],
        "answer": "a",
        "explanation": "With most units dropped, each thinned network is too small to fit "
                       "the data. The slides report the best results around p = 0.5 for "
                       "hidden units; for input units a keep probability near 0.8 is common, "
                       "and this course's MNIST lab uses 0.7.",
        "why_wrong": {
            "b": "Tempting because overfitting is what dropout is about; but overfitting "
                 "comes with too little dropout (p near 1), not too much.",
            "c": "Tempting if more regularization always seems better; but the test error "
                 "rises again once the thinned networks are too small.",
            "d": "Tempting because p also scales the test-time network; but p decides how "
                 "many units train at each step, so it matters most in training.",
        },
    },
    {
        "id": "inverted-dropout-value",
        "topic": "regularization",
        "kind": "numeric",
        "question": "Inverted dropout with keep probability p = 0.8. In a training step, a "
                    "unit whose activation is 2.0 is kept. What value does it pass on?",
        "answer": 2.5,
        "tolerance": 1e-3,
        "explanation": "Inverted dropout divides the kept values by p during training: "
                       "2.0 / 0.8 = 2.5. Then the expected value, 0.8 * 2.5 + 0.2 * 0 = 2.0, "
                       "equals the activation, and the test-time network needs no scaling.",
        "mistakes": [
            (1.6, "That is 2.0 * p: the scaling of the slides' form, which belongs to test "
                  "time, not to a training step of inverted dropout."),
            (2.0, "The 1/p scaling of inverted dropout is missing."),
            (0.0, "The unit was kept, not dropped: only a dropped unit passes on 0."),
        ],
    },
    # -------------------------------------------------------------------------------- mnist
    {
        "id": "one-hot-row",
        "topic": "mnist",
        "question": "With the ten classes 0-9, what is the one-hot encoding of the label 3?",
        "options": ["[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]",
                    "[3, 0, 0, 0, 0, 0, 0, 0, 0, 0]",
                    "[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]",
                    "[1, 1, 1, 1, 0, 0, 0, 0, 0, 0]"],
        "answer": "a",
        "explanation": "One entry per class, counted from 0: a single 1 in position 3 and 0 "
                       "everywhere else. The row is the target distribution for the softmax "
                       "output ('all probability on class 3'), which is why the cross-entropy "
                       "against it is just -log p_3.",
        "why_wrong": {
            "b": "Tempting because it 'contains' the 3; but a one-hot row holds only 0s and "
                 "a single 1, whose position is the class.",
            "c": "Positions are counted from 1 here; counted from 0, as numpy does, the 1 for "
                 "class 3 sits in the fourth place.",
            "d": "Tempting as 'three ones for 3'; but that is a thermometer code, and a "
                 "one-hot row has exactly one 1.",
        },
    },
    {
        "id": "keep-vs-drop",
        "topic": "mnist",
        "question": "This course trains with keep probability p = 0.7. Which PyTorch layer "
                    "drops the same fraction of units?",
        "options": ["nn.Dropout(0.7)", "nn.Dropout(1.0)", "nn.Dropout(0.3)",
                    "nn.Dropout(1 / 0.7)"],
        "answer": "c",
        "explanation": "PyTorch's and Keras' argument is the probability of DROPPING a unit, "
                       "1 - p = 0.3. Both libraries use inverted dropout, like helpers.MLP: "
                       "kept values are divided by the keep probability during training.",
        "why_wrong": {
            "a": "Tempting because 0.7 is the course's number; but PyTorch's argument is the "
                 "drop probability, so 0.7 would drop 70% of the units.",
            "b": "Tempting because p = 1.0 means 'no dropout' in the course; in PyTorch 1.0 "
                 "drops every unit.",
            "d": "1 / 0.7 is the scaling factor of inverted dropout, not a probability (it "
                 "is above 1).",
        },
    },
    {
        "id": "overfitting-fingerprint",
        "topic": "mnist",
        "question": "Trained on 6,000 MNIST images, a network reaches 100 % training "
                    "accuracy while its test loss rises epoch after epoch. What does "
                    "dropout with p = 0.7 do in lesson 06's measurement?",
        "options": ["It lets the training accuracy stay at 100 % for longer",
                    "Nothing: dropout only matters at test time",
                    "It makes every epoch faster, so more of them fit in",
                    "It keeps the test loss lower and the test accuracy higher"],
        "answer": "d",
        "explanation": "Rising test loss with a perfect training score is overfitting: the "
                       "network grows more confident, wrong answers included. Training many "
                       "thinned networks that share weights (dropout) regularizes it; the "
                       "lesson measures a lower test loss and a higher test accuracy. Each "
                       "epoch learns less, so dropout usually needs more epochs, not fewer.",
        "why_wrong": {
            "a": "Tempting because the no-dropout run looks 'good' on training data; but "
                 "dropout makes the training data harder to fit, not easier.",
            "b": "Tempting because the test-time network changes; but dropout acts in "
                 "training: there it keeps the network from memorising.",
            "c": "Tempting because fewer units are active; but the work per epoch is about "
                 "the same, and dropout needs more epochs, not fewer.",
        },
    },
    {
        "id": "pixel-scaling",
        "topic": "mnist",
        "question": "The CSV files hold pixel values 0..255. What does lesson 06 do with them "
                    "before training, and why?",
        "options": ["Nothing: the first layer's weights learn any scale",
                    "It turns each pixel into a one-hot row of 256 entries",
                    "It divides them by 255, so inputs lie in [0, 1]",
                    "It rounds them to 0 or 1 (black or white)"],
        "answer": "c",
        "explanation": "Inputs in [0, 1] keep the first layer's net inputs moderate with the "
                       "usual initial weights; inputs of several hundred would start the "
                       "network saturated (or with huge scores) and call for a much smaller "
                       "learning rate.",
        "why_wrong": {
            "a": "Tempting because weights can in principle absorb any scale; but training "
                 "starts from standard initial weights, which assume inputs of order 1.",
            "b": "Tempting because one-hot coding appears in this lesson; but it is for the "
                 "labels, not for the pixels.",
            "d": "Tempting because digits look black and white; but rounding throws away the "
                 "grey levels at the strokes' edges, and the lesson keeps them.",
        },
    },
    {
        "id": "confusion-entry",
        "topic": "mnist",
        "question": "A confusion matrix has the true digits as rows and the predicted digits "
                    "as columns. The entry in row 4, column 9 is 25. What does it say?",
        "options": ["25 images of a 9 were predicted as 4",
                    "25 images of a 4 were predicted as 9",
                    "The network mixes up 4 and 9 in 25 % of cases",
                    "25 of the 4s were classified correctly"],
        "answer": "b",
        "explanation": "Row = true class, column = prediction: 25 test images of a 4 were "
                       "labelled 9. The right answers sit on the diagonal (row 4, column 4); "
                       "the matrix need not be symmetric, so row 9, column 4 is a different "
                       "count.",
        "why_wrong": {
            "a": "Rows and columns swapped: with true digits as rows, row 4 holds the images "
                 "of a 4.",
            "c": "The entry is a count of images, not a percentage; to get a rate, divide by "
                 "the number of 4s (the row's sum).",
            "d": "Correct classifications are on the diagonal; column 9 of row 4 counts 4s "
                 "that were called 9.",
        },
    },
    {
        "id": "argmax-prediction",
        "topic": "mnist",
        "question": "For one image, the network's softmax output is a row p of ten "
                    "probabilities. How is the predicted digit obtained?",
        "options": ["p.max(): the largest probability",
                    "p.sum(): the total probability",
                    "round(p @ np.arange(10)): the expected digit",
                    "np.argmax(p): the index of the largest probability"],
        "answer": "d",
        "explanation": "The prediction is the class with the highest probability, that is the "
                       "position of the largest entry: argmax. p.max() is the network's "
                       "confidence in that class, not the class itself.",
        "why_wrong": {
            "a": "p.max() is the value of the largest probability (the confidence), not its "
                 "position, which is the digit.",
            "c": "Tempting because it is a weighted average of the digits; but digits are "
                 "classes, not amounts: half 1 and half 7 would 'predict' 4.",
            "b": "A softmax row always sums to 1, whatever the image.",
        },
    },
]
