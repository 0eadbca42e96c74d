"""Quiz questions of lessons 01-02 (neurons, the perceptron) shown at the end of each lesson,
as data.

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
        "why_wrong": {
            "a": "OR is tempting because the weights are the same as for OR; but OR needs "
                 "threshold 1, and here one active input only reaches 1 < 2.",
            "c": "XOR is tempting because two inputs are involved; but XOR fires for exactly "
                 "one active input, and no single threshold unit computes XOR.",
            "d": "NAND is tempting because (1,1) is the special input; but NAND is 0 there and "
                 "this unit is 1 there: NAND needs negative weights.",
        },
    },
    {
        "id": "neuron-nand",
        "topic": "neurons",
        "question": "A neuron computes y = step(w1*x1 + w2*x2 + b) with step(z) = 1 for "
                    "z >= 0, else 0. With w1 = w2 = -1 and b = 1.5, which gate does it "
                    "compute on 0/1 inputs?",
        "options": ["AND", "NOR (not OR)", "NAND", "OR"],
        "answer": "c",
        "explanation": "The net input is 1.5, 0.5, 0.5 and -0.5 for (0,0), (0,1), (1,0), "
                       "(1,1), so the outputs are 1, 1, 1, 0: NOT AND. Negating the weights "
                       "and the bias of an AND unit (1, 1, -1.5) gives NAND.",
        "why_wrong": {
            "a": "AND is tempting because 1.5 is AND's threshold; but every sign is flipped "
                 "here, and flipping the signs flips every output.",
            "b": "NOR is tempting because the weights are negative; but NOR is 1 only for "
                 "(0,0), and here (0,1) gives 0.5 >= 0, so output 1.",
            "d": "OR is tempting because three of the four outputs are 1, as in OR; but OR's "
                 "1s include (1,1), where the net input here is -0.5.",
        },
    },
    {
        "id": "neuron-bias",
        "topic": "neurons",
        "question": "For a neuron with two inputs, the points where w1*x1 + w2*x2 + b = 0 "
                    "form a line in the input plane. What does changing only the bias b do "
                    "to that line?",
        "options": ["It rotates the line about the origin, as a weight does",
                    "It shifts the line parallel to itself",
                    "It bends the line into a curve, which makes the neuron nonlinear",
                    "It only changes how steep the neuron's output is across the line"],
        "answer": "b",
        "explanation": "The weight vector (w1, w2) is perpendicular to the line and fixes "
                       "its direction; the bias only shifts it: its distance from the origin "
                       "is |b| / ||w||. Without a bias every decision line would have to pass "
                       "through the origin.",
        "why_wrong": {
            "a": "Tempting because w and b sit in the same equation; but the line's direction "
                 "is set by (w1, w2) alone, and b does not enter it.",
            "c": "Tempting because b is added inside the neuron; but the boundary "
                 "w1*x1 + w2*x2 + b = 0 is a straight line for every b: only hidden layers "
                 "bend boundaries.",
            "d": "Tempting because scaling w and b together does change the steepness; b "
                 "alone moves where the output crosses its midpoint, which is the shift.",
        },
    },
    {
        "id": "neuron-synapse",
        "topic": "neurons",
        "question": "In the analogy between a biological and an artificial neuron, what do "
                    "the weights of the artificial neuron stand for?",
        "options": ["The electrical signals that travel along the axon to other cells",
                    "The firing threshold of the cell body",
                    "The inputs that arrive at the dendrites",
                    "The strength of each synapse an input arrives through"],
        "answer": "d",
        "explanation": "Inputs arrive through synapses (onto the dendrites), each with its "
                       "own strength: that is what a weight models. The cell body adds the "
                       "signals up and fires past a threshold (the weighted sum, the bias "
                       "and the transfer function); the axon carries the output on.",
        "why_wrong": {
            "a": "Tempting because signals are what a network passes on; but the axon's "
                 "signal is the neuron's output y, not its weights.",
            "b": "Tempting because the threshold is also a learned number; but it is the bias "
                 "(one per neuron), while there is one weight per input.",
            "c": "Tempting because weights and inputs are multiplied together; but the inputs "
                 "are the x_i, and the weight is how strongly each x_i counts.",
        },
    },
    {
        "id": "neuron-weighted-sum",
        "topic": "neurons",
        "question": "What does an artificial neuron compute before it applies its transfer "
                    "function?",
        "options": ["The sum of its weights plus the sum of its inputs",
                    "The product of all its inputs, times the bias",
                    "Each input times its weight, summed, plus the bias",
                    "The largest of its weighted inputs, plus the bias"],
        "answer": "c",
        "explanation": "The net input is z = w1*x1 + ... + wn*xn + b: every input is "
                       "multiplied by its own weight, the products are added, and the bias "
                       "is added; then y = f(z). The lesson slides' wording that a neuron "
                       "'adds the weights separately' describes something else.",
        "why_wrong": {
            "a": "Tempting because the slides say the neuron 'adds the weights'; but a sum of "
                 "weights does not depend on the inputs: each input must be multiplied by its "
                 "weight first.",
            "b": "Tempting because the inputs are combined; but in a product one zero input "
                 "would silence the neuron. A neuron adds weighted inputs.",
            "d": "Tempting because a neuron 'picks up' its strongest input; but taking the "
                 "maximum ignores all other inputs (that is max-pooling, not a neuron).",
        },
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
        "why_wrong": {
            "a": "Tempting because each update is 'use this point or not'; but one point can "
                 "be used several times (in lesson 07's OR run, one point 4 times).",
            "c": "Tempting because weights are real numbers; but each update adds exactly "
                 "+-(learning rate)*x, so whole-number counts are enough.",
            "d": "Tempting if the weights look like free parameters; but they are built only "
                 "by adding and subtracting inputs, so they can always be written that way.",
        },
    },
    {
        "id": "xor-separable",
        "topic": "perceptron",
        "question": "Why can a single perceptron never learn XOR, however long it trains?",
        "options": ["No straight line separates XOR's 1s from its 0s",
                    "Its learning rate is too small: XOR needs larger steps",
                    "It needs more epochs: on XOR it converges after about 1000",
                    "The step function has no derivative, so the rule cannot run"],
        "answer": "a",
        "explanation": "A perceptron's decision boundary is a line (a hyperplane). XOR puts "
                       "(0,1) and (1,0) in one class and (0,0), (1,1) in the other, at "
                       "opposite corners of a square, and no line separates the two pairs. "
                       "A hidden layer fixes this: e.g. XOR = AND(OR, NAND).",
        "why_wrong": {
            "b": "Tempting because a small rate often makes training slow; but no rate can "
                 "find a separating line that does not exist.",
            "c": "Tempting because some problems just need more epochs; but the convergence "
                 "theorem needs separable data, and on XOR the weights cycle forever.",
            "d": "Tempting because gradient descent needs a derivative; but the perceptron "
                 "rule uses none: it runs on XOR and keeps making mistakes.",
        },
    },
    {
        "id": "perceptron-update",
        "topic": "perceptron",
        "question": "The perceptron rule is w <- w + lr*(d - y)*x. With w = (0, 0), "
                    "lr = 0.5, input x = (1, 2), desired output d = 1 and actual output "
                    "y = 0, what is the new w?",
        "options": ["(-0.5, -1.0)", "(1.0, 2.0)", "(0, 0): no update", "(0.5, 1.0)"],
        "answer": "d",
        "explanation": "d - y = 1, so w gains lr*x = 0.5*(1, 2) = (0.5, 1.0). A point that "
                       "is classified correctly has d - y = 0 and changes nothing; a false "
                       "positive (d = 0, y = 1) subtracts lr*x instead.",
        "why_wrong": {
            "a": "This is the update of a false positive (d = 0, y = 1): the sign of d - y is "
                 "flipped here, where d - y = +1.",
            "b": "This adds x without the learning rate: the step is lr*x = 0.5*x.",
            "c": "Tempting if the point looks handled; but a point changes nothing only when "
                 "it is classified right, and here d - y = 1.",
        },
    },
    {
        "id": "perceptron-convergence",
        "topic": "perceptron",
        "question": "The training points are linearly separable. What does the perceptron "
                    "convergence theorem guarantee?",
        "options": ["It finds the separating line with the widest margin",
                    "It converges only if the learning rate is below 0.01",
                    "It stops after finitely many updates, with a separating line",
                    "It reaches zero errors, but only when the weights start at zero"],
        "answer": "c",
        "explanation": "On separable data the number of mistakes is bounded (Novikoff: at "
                       "most (R/margin)^2 from zero weights), so training stops with zero "
                       "errors. The line it finds is just one that separates, not the "
                       "widest-margin one (that is a support vector machine). On "
                       "non-separable data, such as XOR, it never stops changing.",
        "why_wrong": {
            "a": "Tempting because a wide margin is the 'best' line; but that is what a "
                 "support vector machine finds. The perceptron stops at the first line with "
                 "no errors.",
            "b": "Tempting because small rates are 'safe'; but from zero weights the rate "
                 "only scales w and b, so the theorem holds for any positive rate.",
            "d": "Tempting because the classic bound is stated from zero weights; but from "
                 "any start the number of updates is still finite, only the bound changes.",
        },
    },
    {
        "id": "xor-two-layers",
        "topic": "perceptron",
        "question": "Which two-layer network of step units computes XOR on 0/1 inputs?",
        "options": ["Hidden OR and NAND units, combined by an AND output unit",
                    "Two hidden AND units on x1 and x2, combined by an OR output unit",
                    "One hidden unit with larger weights, feeding the output unit",
                    "None is needed: in the +-1 coding one perceptron computes XOR"],
        "answer": "a",
        "explanation": "OR is 0 only for (0,0), NAND only for (1,1); both are 1 exactly when "
                       "one input is 1, so AND(OR, NAND) = XOR. Each hidden unit draws one "
                       "line; the output unit combines the two half-planes into the band "
                       "between them.",
        "why_wrong": {
            "b": "Tempting because XOR = OR of two ANDs; but those ANDs need a negated input "
                 "each (x1 AND NOT x2). Two ANDs on x1, x2 compute the same thing twice.",
            "c": "Tempting because larger weights make a unit 'stronger'; but one hidden unit "
                 "still draws one line, and XOR needs two.",
            "d": "Tempting because the lesson also uses the +-1 table; but recoding changes "
                 "the numbers, not the geometry: the classes still sit on opposite diagonals.",
        },
    },
]
