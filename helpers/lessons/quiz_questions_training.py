"""Quiz questions of lessons 04-06 (activations, regularization, the MNIST project), as data.

The format of a question is described in ``helpers.lessons.quiz_bank``, which serves them.
"""

QUESTIONS = [
    # -------------------------------------------------------------------------- activations
    {
        "id": "sigmoid-derivative-max",
        "topic": "activations",
        "question": "What is the largest value of the derivative of the logistic sigmoid "
                    "s(x) = 1 / (1 + exp(-x))?",
        "options": ["1", "0.5", "0.25", "It is unbounded"],
        "answer": "c",
        "explanation": "s'(x) = s(x) * (1 - s(x)), largest at x = 0 where s = 0.5: 0.5 * 0.5 "
                       "= 0.25. So every sigmoid layer multiplies the backpropagated "
                       "gradient by at most 0.25, and by nearly 0 where the unit saturates: "
                       "gradients vanish in deep sigmoid networks.",
    },
    {
        "id": "tanh-zero-centred",
        "topic": "activations",
        "question": "What does tanh offer that the logistic sigmoid does not?",
        "options": ["It never saturates",
                    "Its output is zero-centred (range -1 to 1)",
                    "Its derivative is 1 everywhere",
                    "It cannot produce negative outputs"],
        "answer": "b",
        "explanation": "tanh(x) = 2*s(2x) - 1 has outputs in (-1, 1) centred on 0, so the "
                       "next layer's inputs are not all positive (all-positive inputs force "
                       "the gradients of a unit's weights to share one sign, which makes "
                       "updates zig-zag). It still saturates for large |x|; its derivative "
                       "1 - tanh^2 peaks at 1 (at x = 0).",
    },
    {
        "id": "dead-relu",
        "topic": "activations",
        "question": "A ReLU unit receives a negative input for every training example "
                    "(e.g. after a large update pushed its bias far down). What happens?",
        "options": ["It saturates at 1 like a sigmoid",
                    "It behaves like a linear unit",
                    "Its gradient explodes",
                    "It outputs 0 and its gradient is 0, so its weights stop changing: "
                    "the unit is dead"],
        "answer": "d",
        "explanation": "relu(z) = max(0, z) has derivative 0 for z < 0. If z < 0 for all "
                       "inputs, no gradient reaches the unit's weights, so it may never "
                       "recover. Smaller learning rates or leaky ReLU (slope 0.01 for z < 0) "
                       "help.",
    },
    {
        "id": "why-nonlinear",
        "topic": "activations",
        "question": "A network has 10 layers but uses the identity (no activation function) "
                    "in every layer. What can it represent?",
        "options": ["Exactly what a single linear layer can: a product of linear maps is "
                    "linear",
                    "Any continuous function, given enough units",
                    "XOR, because it has hidden layers",
                    "Only constant functions"],
        "answer": "a",
        "explanation": "W10(...(W2(W1 x + b1) + b2)...) + b10 = W x + b for one matrix W and "
                       "one vector b. Depth only adds expressive power with a nonlinearity "
                       "between the layers; that is why activation functions are needed.",
    },
    {
        "id": "relu-speed",
        "topic": "activations",
        "question": "Why do deep ReLU networks usually train faster than sigmoid networks "
                    "of the same shape?",
        "options": ["ReLU's derivative is 1 for every positive input, so gradients do not "
                    "shrink layer by layer as with the sigmoid (at most 0.25 per layer)",
                    "ReLU outputs are bounded between 0 and 1",
                    "ReLU outputs are zero-centred",
                    "ReLU units have fewer weights"],
        "answer": "a",
        "explanation": "Active ReLU units pass the gradient on unchanged (and ReLU is cheap "
                       "to compute). This eases the vanishing-gradient problem rather than "
                       "removing it for good, as the slides suggest: dead units and badly "
                       "scaled initial weights can still stall training.",
    },
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
    },
    {
        "id": "l2-gradient",
        "topic": "regularization",
        "question": "L2 regularization adds (l2/2) * sum(W**2) to the loss. What does it add "
                    "to the gradient with respect to W?",
        "options": ["(l2/2) * W", "2 * l2 * W", "l2 * sign(W)", "l2 * W"],
        "answer": "d",
        "explanation": "The derivative of (l2/2)*W^2 is l2*W. The update becomes "
                       "W <- W - lr*(dL/dW + l2*W) = (1 - lr*l2)*W - lr*dL/dW: every step "
                       "shrinks the weights a little, hence the name weight decay. "
                       "l2*sign(W) would be the L1 penalty.",
    },
    {
        "id": "dropout-test-time",
        "topic": "regularization",
        "question": "During training, dropout keeps each unit with probability p. In the "
                    "form used in the lesson slides, what happens at test time?",
        "options": ["Units are dropped with probability p again",
                    "All units are used and their outgoing weights are multiplied by p",
                    "All units are used and their outgoing weights are divided by p",
                    "The dropped units are removed for good"],
        "answer": "b",
        "explanation": "Scaling by p makes each unit's expected contribution at test time "
                       "equal to its average during training. Inverted dropout (used by most "
                       "libraries and by helpers.models.MLP by default) divides by p during "
                       "training instead, so the test-time network needs no change.",
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
    },
    {
        "id": "dropout-low-keep",
        "topic": "regularization",
        "question": "In the dropout experiment of the slides (a 784-2048-2048-2048-10 "
                    "network on MNIST), what happens with a very small keep probability, "
                    "p < 0.3?",
        "options": ["Underfitting: so few units are active that even the training error "
                    "stays high",
                    "Overfitting: training error low, test error high",
                    "The lowest test error of all values of p",
                    "Nothing: p only matters at test time"],
        "answer": "a",
        "explanation": "With most units dropped, each thinned network is too small to fit "
                       "the data. The slides report the best results around p = 0.5 for "
                       "hidden units; for input units a keep probability near 0.8 is common, "
                       "and this course's MNIST lab uses 0.7.",
    },
    # -------------------------------------------------------------------------------- mnist
    {
        "id": "one-hot-row",
        "topic": "mnist",
        "question": "With the ten classes 0-9, what is the one-hot encoding of the label 3?",
        "options": ["[3, 0, 0, 0, 0, 0, 0, 0, 0, 0]",
                    "[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]",
                    "[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]",
                    "[1, 1, 1, 1, 0, 0, 0, 0, 0, 0]"],
        "answer": "b",
        "explanation": "One entry per class, counted from 0: a single 1 in position 3 and 0 "
                       "everywhere else. The row is the target distribution for the softmax "
                       "output ('all probability on class 3'), which is why the cross-entropy "
                       "against it is just -log p_3.",
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
    },
    {
        "id": "overfitting-fingerprint",
        "topic": "mnist",
        "question": "Trained on 6,000 MNIST images, a network reaches 100 % training "
                    "accuracy while its test loss rises epoch after epoch. What does "
                    "dropout with p = 0.7 do in lesson 06's measurement?",
        "options": ["It raises the training accuracy above 100 %",
                    "Nothing: dropout only matters at test time",
                    "It makes training faster per epoch",
                    "It keeps the test loss lower and gives a higher test accuracy"],
        "answer": "d",
        "explanation": "Rising test loss with a perfect training score is overfitting: the "
                       "network grows more confident, wrong answers included. Training many "
                       "thinned networks that share weights (dropout) regularizes it; the "
                       "lesson measures a lower test loss and a higher test accuracy. Each "
                       "epoch learns less, so dropout usually needs more epochs, not fewer.",
    },
]
