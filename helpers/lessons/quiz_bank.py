"""The course's knowledge-check questions, as data, grouped by lesson topic.

Each question is a dict with ``id``, ``topic`` (a key of ``TOPICS``), ``question``,
``options``, ``answer`` (the letter of the right option), ``explanation`` and ``source``
('syllabus' for the two questions of the lesson's own knowledge check, 'course' for the
others). ``quizzes(topic)`` turns them into ``helpers.widgets.Quiz`` objects, ``quiz_set``
into a ``QuizSet`` with a score line, ``quiz_by_id`` finds one question.

Where the lesson slides are wrong, the question teaches the correct fact and the explanation
says what the slide claims (e.g. the slides let gradient descent "converge to a maximum").
Omits: free-text and numeric-entry questions, randomised option order.
"""

from __future__ import annotations

from ..widgets import Quiz, QuizSet

#: topic key -> (section title, lesson notebook the topic is taught in)
TOPICS = {
    "neurons": ("Neurons and logic gates", "01_neurons.ipynb"),
    "perceptron": ("The perceptron and XOR", "02_perceptron.ipynb"),
    "backprop": ("Gradient descent and backpropagation", "03_backprop_walkthrough.ipynb"),
    "activations": ("Activation functions", "04_activations.ipynb"),
    "regularization": ("Overfitting, L2 and dropout", "05_regularization.ipynb"),
    "mnist": ("The MNIST dropout project", "06_dropout_mnist.ipynb"),
}

#: ids of the two questions of the syllabus' own knowledge check
SYLLABUS_IDS = ("perceptron-weights", "dropout-bagging")

QUESTIONS = [
    # ------------------------------------------------------------------------------ neurons
    {
        "id": "mp-and",
        "topic": "neurons",
        "question": "A McCulloch-Pitts unit has two binary inputs, both with weight 1, and "
                    "fires (outputs 1) when the weighted sum reaches its threshold of 2. "
                    "Which logic gate is it?",
        "options": ["OR", "AND", "XOR", "NAND"],
        "answer": "b",
        "explanation": "The sum is 0, 1, 1 and 2 for the inputs (0,0), (0,1), (1,0), (1,1); "
                       "only (1,1) reaches the threshold 2, so the unit fires only when both "
                       "inputs are 1: AND. With threshold 1 the same unit would be an OR.",
    },
    {
        "id": "neuron-nand",
        "topic": "neurons",
        "question": "A neuron computes y = step(w1*x1 + w2*x2 + b) with step(z) = 1 for "
                    "z >= 0, else 0. With w1 = w2 = -1 and b = 1.5, which gate does it "
                    "compute on 0/1 inputs?",
        "options": ["AND", "OR", "NAND", "NOR"],
        "answer": "c",
        "explanation": "The net input is 1.5, 0.5, 0.5 and -0.5 for (0,0), (0,1), (1,0), "
                       "(1,1), so the outputs are 1, 1, 1, 0: NOT AND. Negating the weights "
                       "and the bias of an AND unit (1, 1, -1.5) gives NAND.",
    },
    {
        "id": "neuron-bias",
        "topic": "neurons",
        "question": "For a neuron with two inputs, the points where w1*x1 + w2*x2 + b = 0 "
                    "form a line in the input plane. What does changing only the bias b do "
                    "to that line?",
        "options": ["It rotates the line around the origin",
                    "It moves the line parallel to itself, without changing its direction",
                    "It makes the neuron's output nonlinear",
                    "Nothing: the bias only changes the learning rate"],
        "answer": "b",
        "explanation": "The weight vector (w1, w2) is perpendicular to the line and fixes "
                       "its direction; the bias only shifts it: its distance from the origin "
                       "is |b| / ||w||. Without a bias every decision line would have to pass "
                       "through the origin.",
    },
    {
        "id": "neuron-synapse",
        "topic": "neurons",
        "question": "In the analogy between a biological and an artificial neuron, what do "
                    "the weights of the artificial neuron stand for?",
        "options": ["The cell nucleus, which stores the hereditary material",
                    "The axon, which sends the output to other cells",
                    "The firing threshold of the cell body",
                    "The strength of each synapse, the connection from another neuron"],
        "answer": "d",
        "explanation": "Inputs arrive through synapses (onto the dendrites), each with its "
                       "own strength: that is what a weight models. The cell body adds the "
                       "signals up and fires past a threshold (the weighted sum, the bias "
                       "and the transfer function); the axon carries the output on.",
    },
    # --------------------------------------------------------------------------- perceptron
    {
        "id": "perceptron-weights",
        "topic": "perceptron",
        "source": "syllabus",
        "question": "When perceptron training has finished, how can the learned weight "
                    "vector be written in terms of the initial weight vector and the "
                    "training inputs?",
        "options": ["It needs one bit per training point",
                    "It needs one integer per training point",
                    "It needs one real number per training point",
                    "It cannot be written that way"],
        "answer": "b",
        "explanation": "Every update adds or subtracts one input vector (times the fixed "
                       "learning rate), and the same point can cause several updates. So "
                       "w = w_initial + c_1*x_1 + ... + c_n*x_n (times the learning rate), "
                       "where the integer c_i = (times x_i was added) - (times it was "
                       "subtracted).",
    },
    {
        "id": "xor-separable",
        "topic": "perceptron",
        "question": "Why can a single perceptron never learn XOR, however long it trains?",
        "options": ["Its learning rate is too small for XOR",
                    "No straight line separates the points with output 1 from those with "
                    "output 0: XOR is not linearly separable",
                    "XOR needs more than 1000 epochs",
                    "The step function has no derivative"],
        "answer": "b",
        "explanation": "A perceptron's decision boundary is a line (a hyperplane). XOR puts "
                       "(0,1) and (1,0) in one class and (0,0), (1,1) in the other, at "
                       "opposite corners of a square, and no line separates the two pairs. "
                       "A hidden layer fixes this: e.g. XOR = AND(OR, NAND).",
    },
    {
        "id": "perceptron-update",
        "topic": "perceptron",
        "question": "The perceptron rule is w <- w + lr*(d - y)*x. With w = (0, 0), "
                    "lr = 0.5, input x = (1, 2), desired output d = 1 and actual output "
                    "y = 0, what is the new w?",
        "options": ["(0.5, 1.0)", "(-0.5, -1.0)", "(1.0, 2.0)", "(0, 0): no update"],
        "answer": "a",
        "explanation": "d - y = 1, so w gains lr*x = 0.5*(1, 2) = (0.5, 1.0). A point that "
                       "is classified correctly has d - y = 0 and changes nothing; a false "
                       "positive (d = 0, y = 1) subtracts lr*x instead.",
    },
    {
        "id": "perceptron-convergence",
        "topic": "perceptron",
        "question": "The training points are linearly separable. What does the perceptron "
                    "convergence theorem guarantee?",
        "options": ["The rule finds the separating line with the largest margin",
                    "The rule converges only if the learning rate is below 0.01",
                    "The rule finds a separating line after a finite number of updates",
                    "Nothing: the rule may cycle forever"],
        "answer": "c",
        "explanation": "On separable data the number of mistakes is bounded (Novikoff: at "
                       "most (R/margin)^2), so training stops with zero errors. The line it "
                       "finds is just one that separates, not the widest-margin one (that is "
                       "a support vector machine). On non-separable data, such as XOR, it "
                       "never stops changing.",
    },
    # ----------------------------------------------------------------------------- backprop
    {
        "id": "gd-minimum",
        "topic": "backprop",
        "question": "Gradient descent on the training error E(w) repeats w <- w - lr * "
                    "dE/dw. Where does it head?",
        "options": ["Uphill, to a maximum of E",
                    "Downhill, towards a (local) minimum of E",
                    "Always to the global minimum of E, whatever the start",
                    "To the point where the weights are zero"],
        "answer": "b",
        "explanation": "The gradient points in the direction of steepest increase, so a step "
                       "against it lowers the error: descent moves towards a minimum, often "
                       "a local one. The lesson slides say it converges \"to a (local) "
                       "maximum\"; that is wrong for descent (gradient ascent climbs to "
                       "maxima).",
    },
    {
        "id": "learning-rate-large",
        "topic": "backprop",
        "question": "What typically happens when the learning rate is much too large?",
        "options": ["Training is faster and ends at a better minimum",
                    "Nothing changes: only the direction of the gradient matters",
                    "The steps overshoot the minimum: the loss oscillates or blows up",
                    "The network stops using its bias terms"],
        "answer": "c",
        "explanation": "Each step moves lr * gradient; too large a step jumps over the "
                       "valley, so the loss bounces around or grows to inf/NaN. Too small a "
                       "step is safe but slow. No single value (such as 0.01) is always "
                       "right: it depends on the model, the loss and the data scale.",
    },
    {
        "id": "chain-rule-w5",
        "topic": "backprop",
        "question": "In the 2-2-2 sigmoid network of the backpropagation example, with "
                    "E = 1/2*(t_o1 - out_o1)^2 + 1/2*(t_o2 - out_o2)^2 and "
                    "net_o1 = w5*out_h1 + w6*out_h2 + b2, which product is dE/dw5?",
        "options": ["(out_o1 - t_o1) * out_o1*(1 - out_o1) * out_h1",
                    "(out_o1 - t_o1) * out_h1",
                    "out_o1*(1 - out_o1) * w5",
                    "(t_o1 - out_o1) * w5 * out_h1"],
        "answer": "a",
        "explanation": "Chain rule: dE/dout_o1 = out_o1 - t_o1, dout_o1/dnet_o1 = "
                       "out_o1*(1 - out_o1) (sigmoid), dnet_o1/dw5 = out_h1. With the "
                       "example's numbers: 0.74136507 * 0.186815602 * 0.593269992 = "
                       "0.082167041.",
    },
    {
        "id": "w5-update",
        "topic": "backprop",
        "question": "Continuing the example: w5 = 0.4, dE/dw5 = 0.082167041 and the "
                    "learning rate is 0.5. What is w5 after one gradient-descent step?",
        "options": ["0.35891648", "0.44108352", "0.48216704", "0.31783296"],
        "answer": "a",
        "explanation": "w5 - lr * dE/dw5 = 0.4 - 0.5 * 0.082167041 = 0.35891648. Subtracting "
                       "moves w5 against the gradient, which lowers the error. All weights "
                       "of one step are computed from the old weights, then updated together.",
    },
    {
        "id": "epoch",
        "topic": "backprop",
        "question": "What is one epoch of training?",
        "options": ["One update of the weights",
                    "1000 weight updates",
                    "One pass through the whole training set",
                    "The time until the loss stops decreasing"],
        "answer": "c",
        "explanation": "An epoch means every training example has been used once; with "
                       "mini-batches of size B that is about N/B updates. How many epochs to "
                       "train is chosen by watching the validation loss; there is no "
                       "universally preferred number such as 1000.",
    },
    {
        "id": "learning-rate-meaning",
        "topic": "backprop",
        "question": "In the update w <- w - lr * dE/dw, what is the learning rate lr?",
        "options": ["How much the error changes when a weight changes by one unit",
                    "The step size: a positive number, chosen before training, that scales "
                    "every update",
                    "The number of epochs to train for",
                    "The fraction of the training examples used for one update"],
        "answer": "b",
        "explanation": "How much the error changes per unit change of a weight is the "
                       "derivative dE/dw, the gradient; the update multiplies it by lr. The "
                       "learning rate only sets how far to move along it: too small creeps, "
                       "too large overshoots. (The lecture slides describe the learning rate "
                       "with the gradient's definition.) Epochs and the batch size are "
                       "separate settings.",
    },
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


def _find(qid):
    for q in QUESTIONS:
        if q["id"] == qid:
            return q
    raise ValueError(f"qid: expected one of {[q['id'] for q in QUESTIONS]}, got {qid!r}")


def make_quiz(question):
    """A Quiz from one question dict; the Quiz also gets ``id`` and ``source``."""
    quiz = Quiz(question["question"], question["options"], question["answer"],
                question["explanation"], topic=question["topic"])
    quiz.id = question["id"]
    quiz.source = question.get("source", "course")
    return quiz


def quizzes(topic=None):
    """Fresh Quiz objects for every question (or only those of ``topic``), in course order."""
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic: expected one of {list(TOPICS)}, got {topic!r}")
    return [make_quiz(q) for q in QUESTIONS if topic is None or q["topic"] == topic]


def quiz_set(topic):
    """A QuizSet (widgets + score line) for the questions of one topic."""
    return QuizSet(quizzes(topic), title=TOPICS[topic][0])


def quiz_by_id(qid):
    """A fresh Quiz for the question with this id (e.g. 'dropout-bagging')."""
    return make_quiz(_find(qid))
