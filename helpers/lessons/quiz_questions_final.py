"""Questions of the mixed final, lesson 07_knowledge_check, as data: they appear in no
lesson's quiz. Each has ``review``: words of the lesson heading to go back to when it is
missed (the heading is looked up in the lesson, so renumbered sections still link).

The format of a question is described in ``helpers.lessons.quiz_bank``, which serves them.
"""

QUESTIONS = [
    {
        "id": "final-neuron-sum-of-weights",
        "kind": "code",
        "topic": "neurons",
        "review": "The artificial neuron",
        "question": "A student writes a neuron as `def neuron(x, w, b): return step(np.sum(w) "
                    "+ b)` and runs it with w = (1, 1), b = -1.5 on the four inputs of AND. "
                    "What happens?",
        "options": ["It computes AND, since the weights are AND's",
                    "It outputs 1 for every input: x never enters the sum",
                    "Python raises an error because x is never used",
                    "It computes OR, since the bias is too small"],
        "answer": "b",
        "explanation": "np.sum(w) + b = 2 - 1.5 = 0.5 for every input, so step gives 1 four "
                       "times. The neuron must multiply each input by its weight first: "
                       "step(np.dot(w, x) + b).",
        "why_wrong": {
            "a": "Tempting because w and b are AND's; but the code sums the weights alone, "
                 "so the inputs cannot change the output.",
            "c": "Python does not complain about an unused argument: the code runs and "
                 "silently ignores x.",
            "d": "Tempting because OR is 'AND with a smaller threshold'; but the output does "
                 "not depend on x at all, so it is no gate of x.",
        },
    },
    {
        "id": "final-perceptron-step",
        "topic": "perceptron",
        "kind": "numeric",
        "review": "The perceptron learning rule",
        "question": "A perceptron with step(z) = 1 for z >= 0, else 0, has w = (0.5, -0.5), "
                    "b = 0 and lr = 0.1. It sees x = (1, 2) with target d = 1. What is w2 "
                    "after this one step of the rule? (2 decimals)",
        "answer": -0.3,
        "tolerance": 1e-3,
        "explanation": "z = 0.5*1 - 0.5*2 + 0 = -0.5, so y = 0 and d - y = 1; "
                       "w2 <- -0.5 + 0.1*1*2 = -0.3.",
        "mistakes": [(-0.7, "The sign of d - y is flipped: that is the false-positive "
                            "update."),
                     (1.5, "The learning rate is left out: -0.5 + 2."),
                     (-0.5, "No update: but the point is misclassified (z < 0 gives 0, the "
                            "target is 1).")],
    },
    {
        "id": "final-gd-two-valleys",
        "topic": "backprop",
        "figure": "two-valleys",
        "review": "The error landscape",
        "question": "In the figure, gradient descent with the same learning rate starts at "
                    "w = -2 and at w = 2. Why does the right run end at a higher error?",
        "options": ["Its learning rate is too small; with more steps it would reach the "
                    "left valley",
                    "Gradient descent is random, so two runs always end differently",
                    "It went uphill: descent can converge to a maximum",
                    "It descended into the valley it started in, a local minimum"],
        "answer": "d",
        "explanation": "Descent follows the local slope downhill and stops where the slope is "
                       "zero. From w = 2 the nearest valley is the shallow one on the right: a "
                       "local minimum. A different start, momentum or a restart can find the "
                       "deeper one; the step size sets how fast, not which valley.",
        "why_wrong": {
            "a": "Tempting because small steps are slow; but at the bottom of a valley the "
                 "gradient is zero, so more steps change nothing.",
            "b": "Plain gradient descent is deterministic: the same start and rate give the "
                 "same path. The runs differ because their starts differ.",
            "c": "Tempting because the slides say descent converges to a maximum; but each "
                 "step goes against the gradient, downhill (the stars sit in valleys).",
        },
    },
    {
        "id": "final-keep-by-test",
        "topic": "mnist",
        "review": "How much to drop",
        "question": "A student tries the keep probabilities 0.5, 0.7 and 0.9 and reports the "
                    "best of the three test accuracies as the network's accuracy. What is "
                    "wrong?",
        "options": ["Nothing, as long as the same test set is used for all three",
                    "The test set helped choose p, so the score is optimistic",
                    "p should be chosen by the training accuracy instead",
                    "Three settings are too few; with ten the result would be fair"],
        "answer": "b",
        "explanation": "Choosing by test accuracy fits the setting to the test set, so the "
                       "reported number overstates how the network does on new data. Choose "
                       "p on a validation split carved from the training data, then measure "
                       "the test set once.",
        "why_wrong": {
            "a": "Tempting because the comparison is fair between the three; but picking the "
                 "best on that set makes the reported number biased upwards.",
            "c": "Tempting because training data are 'allowed'; but training accuracy always "
                 "favours the least dropout, since dropout fights fitting the training set.",
            "d": "More settings make it worse, not better: more chances to fit the test "
                 "set's noise.",
        },
    },
    {
        "id": "final-tanh-derivative",
        "topic": "activations",
        "kind": "numeric",
        "review": "One weight update with the tanh gradient",
        "question": "A tanh unit's output is a = tanh(z) = 0.6. What is tanh'(z), computed "
                    "from the output? (2 decimals)",
        "answer": 0.64,
        "tolerance": 0.005,
        "explanation": "tanh'(z) = 1 - tanh(z)^2 = 1 - 0.6^2 = 0.64: the derivative is "
                       "written with the output a, so no exp is needed.",
        "mistakes": [(0.24, "That is a*(1 - a), the sigmoid's derivative formula, used for "
                            "tanh."),
                     (0.4, "That is 1 - a: the square is missing."),
                     (0.7116, "That is tanh'(0.6): the derivative applied to the output as "
                              "if it were the net input.")],
    },
    {
        "id": "final-zero-init",
        "kind": "code",
        "topic": "backprop",
        "review": "Backward pass, hidden layer",
        "question": "A 2-2-1 sigmoid network is trained by backpropagation with every weight "
                    "and bias set to 0 at the start (W1 = np.zeros((2, 2)) and so on). What "
                    "happens to the two hidden units?",
        "options": ["They stay identical forever, so the layer acts as one unit",
                    "Nothing trains: every gradient stays zero forever",
                    "It trains like a random start, only more slowly",
                    "numpy raises an error: a zero weight divides by zero"],
        "answer": "a",
        "explanation": "Both hidden units compute the same output, receive the same delta "
                       "and the same gradient, so every update keeps them equal: the symmetry "
                       "is never broken. That is why weights start random.",
        "why_wrong": {
            "b": "Tempting because zero weights pass no signal back; but the hidden outputs "
                 "are s(0) = 0.5, so the output weights do get a gradient and change.",
            "c": "Tempting because any start seems to work eventually; but identical units "
                 "stay identical: no amount of training separates them.",
            "d": "Nothing divides by a weight in the forward or backward pass; zeros are "
                 "valid numbers, and the code runs.",
        },
    },
    {
        "id": "final-weight-decay-step",
        "topic": "regularization",
        "kind": "numeric",
        "review": "L2 regularization",
        "question": "One plain SGD step with the L2 penalty (l2/2)*w^2: w = 2.0, the data "
                    "loss's gradient is 0.5, lr = 0.1 and l2 = 0.01. What is w after the "
                    "step? (3 decimals)",
        "answer": 1.948,
        "tolerance": 2e-4,
        "explanation": "w - lr*(g + l2*w) = 2.0 - 0.1*(0.5 + 0.01*2.0) = 2.0 - 0.052 = 1.948; "
                       "the same as decaying w by (1 - lr*l2) = 0.999 and taking the plain "
                       "step.",
        "mistakes": [(1.95, "The L2 term is missing: 2.0 - 0.1*0.5."),
                     (1.949, "The 1/2 of the penalty is kept in the gradient: l2/2 * w."),
                     (1.94, "L2 taken as subtracting l2 itself from w; it adds l2*w to the "
                            "gradient."),
                     (1.946, "The penalty's 1/2 is ignored: 2*l2*w.")],
    },
    {
        "id": "final-neuron-output",
        "topic": "neurons",
        "kind": "numeric",
        "review": "The artificial neuron",
        "question": "A neuron has weights w = (0.5, -1.0), bias b = 0.25 and the sigmoid "
                    "transfer function. What is its output for the input x = (2, 1)? "
                    "(3 decimals)",
        "answer": 0.5622,
        "tolerance": 0.002,
        "explanation": "Net input z = 0.5*2 + (-1.0)*1 + 0.25 = 0.25; output "
                       "s(0.25) = 1 / (1 + exp(-0.25)) = 0.562.",
        "mistakes": [(0.25, "That is the net input z: the sigmoid is not applied yet."),
                     (0.9047, "The sign of w2 is lost: z = 1 + 1 + 0.25 = 2.25."),
                     (0.5, "The bias is left out: s(0) = 0.5.")],
    },
    {
        "id": "final-learning-rates",
        "topic": "backprop",
        "figure": "learning-rates",
        "review": "The error landscape",
        "question": "The figure shows gradient descent on one error, from one start, with "
                    "three learning rates. Which statement fits it?",
        "options": ["Run B's rate is too large: its error falls the least",
                    "The runs must have started from different weights",
                    "Run A is the best: its error changes the most per step",
                    "Run A's rate is too large: every step overshoots the minimum"],
        "answer": "d",
        "explanation": "Each of A's steps jumps across the valley to a point higher than the "
                       "last, so the error grows by the same factor every step: divergence. "
                       "B's rate is too small (it creeps); C's is well chosen.",
        "why_wrong": {
            "a": "Tempting because B does worst of the two falling runs; but a slowly falling "
                 "error means steps that are too small, not too large.",
            "c": "Tempting because 'changes the most' sounds like fast learning; but A's "
                 "error goes up, not down.",
            "b": "All three start at the same error (step 0); only the learning rate "
                 "differs, and it alone explains the three shapes.",
        },
    },
    {
        "id": "final-softmax",
        "topic": "activations",
        "kind": "numeric",
        "review": "Softmax and cross-entropy",
        "question": "A network's scores for three classes are (3, 1, 0). What probability "
                    "does the softmax give the first class? (3 decimals)",
        "answer": 0.8438,
        "tolerance": 0.002,
        "explanation": "exp(3) / (exp(3) + exp(1) + exp(0)) = 20.09 / (20.09 + 2.72 + 1) "
                       "= 0.844.",
        "mistakes": [(0.75, "That is 3 / (3 + 1 + 0): the scores divided by their sum, "
                            "without exp."),
                     (0.9526, "That is sigmoid(3): one score on its own, not compared "
                              "with the others.")],
    },
    {
        "id": "final-xnor",
        "topic": "perceptron",
        "review": "The XOR problem",
        "question": "Which of these functions of two 0/1 inputs can a single perceptron NOT "
                    "learn?",
        "options": ["XNOR (1 when both inputs are equal)", "NAND", "NOR",
                    "x1 AND NOT x2"],
        "answer": "a",
        "explanation": "XNOR is NOT XOR: its 1s, (0,0) and (1,1), sit on one diagonal of the "
                       "square and its 0s on the other, so no line separates them. The other "
                       "three each cut off one corner: x1 - x2 - 0.5 >= 0 is x1 AND NOT x2.",
        "why_wrong": {
            "b": "Tempting because NAND is 'NOT AND'; but negating a gate flips the signs of "
                 "its weights and bias, and the line stays a line.",
            "c": "Tempting for the same reason; NOR = NOT OR is OR's line with the sides "
                 "swapped.",
            "d": "Tempting because it mixes AND and NOT; but it is 1 only at (1,0), one "
                 "corner, which one line cuts off.",
        },
    },
    {
        "id": "final-overfitting-curves",
        "topic": "regularization",
        "figure": "overfitting",
        "review": "Deep networks overfit",
        "question": "The figure sketches a long training run. What does it show, and what "
                    "should you do?",
        "options": ["Underfitting: train longer, with a larger network",
                    "The learning rate is too large: lower it",
                    "Overfitting after the validation minimum: stop there or regularize",
                    "Nothing yet: look at the test loss to pick the epoch"],
        "answer": "c",
        "explanation": "Training loss keeps falling while validation loss turns up: the "
                       "network starts fitting the training set's noise. Keep the weights "
                       "from the epoch of lowest validation loss (early stopping) or add L2 "
                       "or dropout.",
        "why_wrong": {
            "a": "Tempting because the validation loss is high; but the training loss is "
                 "low, and a larger network or more epochs would overfit more.",
            "b": "A too-large rate makes the training loss jump or grow too; here it falls "
                 "smoothly.",
            "d": "Tempting because the test set is the final judge; but choosing the epoch "
                 "by test loss uses the test set for a choice: choose on validation.",
        },
    },
    {
        "id": "final-cross-entropy",
        "topic": "mnist",
        "kind": "numeric",
        "review": "One-hot labels",
        "question": "The softmax gives probability 0.25 to the true class of an image (its "
                    "one-hot target). What is the cross-entropy loss, with the natural "
                    "log? (3 decimals)",
        "answer": 1.3863,
        "tolerance": 0.002,
        "explanation": "With a one-hot target only the true class counts: "
                       "-ln(0.25) = ln 4 = 1.386.",
        "mistakes": [(0.6021, "That is -log10(0.25): the natural log is meant."),
                     (0.75, "That is 1 - 0.25: the log is missing."),
                     (-1.3863, "The minus sign is missing: a loss is never negative.")],
    },
    {
        "id": "final-dropout-in-predict",
        "kind": "code",
        "topic": "regularization",
        "review": "The mask, and two ways to scale",
        "question": "A predict function keeps inverted dropout on: `mask = rng.random(h.shape) "
                    "< p; h = h * mask / p` before the output layer. What happens at test "
                    "time?",
        "options": ["Nothing: dividing by p keeps the expected value, so predictions stay",
                    "The outputs are too large by 1/p, but the argmax is unchanged",
                    "The same image can get different labels, and accuracy drops",
                    "numpy raises an error: dropout is only defined in training"],
        "answer": "c",
        "explanation": "Each call draws a new mask, so predictions are noisy samples of "
                       "thinned networks instead of the averaged network; accuracy drops and "
                       "results change from run to run. Dropout belongs to training only.",
        "why_wrong": {
            "a": "Tempting because the expected value is right; but each prediction uses one "
                 "random mask, not the expectation.",
            "b": "The scaling is right on average; the trouble is the random zeros, which "
                 "change the argmax.",
            "d": "The code is valid numpy; nothing stops it from running at test time.",
        },
    },
    {
        "id": "final-derivatives-figure",
        "topic": "activations",
        "figure": "derivatives",
        "review": "Vanishing gradients",
        "question": "The figure shows the derivatives of the sigmoid and of tanh. Which curve "
                    "belongs to the sigmoid, and what follows for a deep sigmoid network?",
        "options": ["A: it peaks at 1, so sigmoid layers pass gradients on unchanged",
                    "B: it peaks at 0.25, so each layer shrinks gradients 4x or more",
                    "A: the taller curve is the sigmoid, as its outputs lie in (0, 1)",
                    "B: it is flatter, so the sigmoid never saturates"],
        "answer": "b",
        "explanation": "s'(z) = s(z)(1 - s(z)) is at most 0.25 (at z = 0); tanh' = 1 - tanh^2 "
                       "peaks at 1. Backpropagation multiplies one derivative per layer, so "
                       "through k sigmoid layers the gradient shrinks by 0.25^k or more.",
        "why_wrong": {
            "a": "Curve A peaks at 1: that is tanh'. And even tanh' is below 1 away from 0.",
            "c": "The height of the derivative is not the range of the output; the sigmoid's "
                 "slope is the lower curve.",
            "d": "Both curves fall to 0 for large |z|: both functions saturate.",
        },
    },
    {
        "id": "final-mlp-size",
        "topic": "mnist",
        "kind": "numeric",
        "review": "From two CSV files",
        "question": "How many parameters (weights and biases) does a 784-256-10 MLP have?",
        "answer": 203530,
        "tolerance": 0.5,
        "explanation": "784*256 + 256 = 200,960 in the first layer and 256*10 + 10 = 2,570 in "
                       "the second: 203,530.",
        "mistakes": [(203264, "The biases are missing: 784*256 + 256*10."),
                     (2007040, "784*256*10 multiplies the layer sizes; each layer has its own "
                               "matrix, and their sizes add.")],
    },
    {
        "id": "final-threshold-or",
        "topic": "neurons",
        "review": "McCulloch-Pitts threshold units",
        "question": "A threshold unit has two 0/1 inputs with weight 1 each and fires when "
                    "the sum reaches the threshold theta. For which theta is it an OR gate?",
        "options": ["Any theta with 0 < theta <= 1", "theta = 2",
                    "theta = 0, since OR fires easily",
                    "Any theta <= 1, negative values included"],
        "answer": "a",
        "explanation": "OR must fire for sums 1 and 2 but not for 0: so 0 < theta <= 1. "
                       "theta = 2 gives AND; theta <= 0 fires for (0,0) too.",
        "why_wrong": {
            "b": "theta = 2 fires only when both inputs are 1: that is AND.",
            "c": "With theta = 0 the sum 0 of the input (0,0) already reaches it: the unit "
                 "always fires.",
            "d": "Any theta <= 0 fires for (0,0) as well: only 0 < theta <= 1 gives OR.",
        },
    },
    {
        "id": "final-momentum-steps",
        "topic": "activations",
        "kind": "numeric",
        "review": "SGD with momentum, in brief",
        "question": "SGD with momentum v <- mu*v - lr*g, w <- w + v, with mu = 0.9, lr = 0.1, "
                    "v = 0 at the start and the gradient g = 1 at both steps. What is v after "
                    "the second step? (2 decimals)",
        "answer": -0.19,
        "tolerance": 1e-3,
        "explanation": "v1 = 0.9*0 - 0.1*1 = -0.1; v2 = 0.9*(-0.1) - 0.1*1 = -0.19. The step "
                       "grows towards -lr*g / (1 - mu) = -1.0 while the gradient stays.",
        "mistakes": [(-0.2, "The previous step was not multiplied by mu."),
                     (-0.1, "Momentum is missing: that is the plain SGD step."),
                     (-0.09, "The new gradient is missing: only mu*v1.")],
    },
    {
        "id": "final-confusion-figure",
        "topic": "mnist",
        "figure": "confusion",
        "review": "Where the dropout network still errs",
        "question": "The figure is a confusion matrix of the digits 4, 7 and 9 (rows: true "
                    "digit). Which mistake does the classifier make most often?",
        "options": ["4s labelled 9, 19 times", "7s labelled 4 or 9: 7 has the largest count, 95",
                    "None: the diagonal holds most images", "9s labelled 4, 19 times"],
        "answer": "d",
        "explanation": "Off the diagonal the largest count is 19 in row 9, column 4: 19 "
                       "images of a 9 were called 4. The reverse mistake (row 4, column 9) "
                       "happens 11 times: a confusion matrix need not be symmetric.",
        "why_wrong": {
            "a": "Rows and columns swapped: row 4, column 9 holds 11; the 19 is in row 9.",
            "c": "The diagonal counts the right answers; the mistakes are off it, and 19 of "
                 "100 is not noise.",
            "b": "Tempting because 95 is the largest number; but it is on the diagonal: 7 has "
                 "the most right answers, not the most mistakes.",
        },
    },
]
