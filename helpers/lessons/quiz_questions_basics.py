"""Quiz questions of lessons 01-03 (neurons, the perceptron, backpropagation), as data.

The format of a question is described in ``helpers.lessons.quiz_bank``, which serves them.
"""

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
]
