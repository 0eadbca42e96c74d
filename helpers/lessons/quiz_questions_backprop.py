"""Quiz questions of lessons 03-04 (backpropagation, activation functions) shown at the end
of each lesson, as data.

The format of a question is described in ``helpers.lessons.quiz_bank``, which serves them.
"""

QUESTIONS = [
    # ----------------------------------------------------------------------------- backprop
    {
        "id": "gd-minimum",
        "topic": "backprop",
        "question": "Gradient descent on the training error E(w) repeats w <- w - lr * "
                    "dE/dw. Where does it head?",
        "options": ["Downhill, towards a (local) minimum of E",
                    "Uphill, to a maximum of E",
                    "Always to the global minimum of E, whatever the start",
                    "To the point where all the weights are zero"],
        "answer": "a",
        "explanation": "The gradient points in the direction of steepest increase, so a step "
                       "against it lowers the error: descent moves towards a minimum, often "
                       "a local one. The lesson slides say it converges \"to a (local) "
                       "maximum\"; that is wrong for descent (gradient ascent climbs to "
                       "maxima).",
        "why_wrong": {
            "b": "Tempting because the slides say 'maximum'; but the minus sign steps against "
                 "the gradient, so E goes down.",
            "c": "Tempting because on a bowl-shaped error it does; but a network's error "
                 "landscape has several valleys, and descent stops in the one it starts in.",
            "d": "Tempting if descent is confused with weight decay; descent stops where the "
                 "gradient is zero (a flat point of E), not where w = 0.",
        },
    },
    {
        "id": "learning-rate-large",
        "topic": "backprop",
        "question": "What typically happens when the learning rate is much too large?",
        "options": ["Training gets faster and settles in a deeper, better minimum",
                    "Nothing changes: only the direction of the gradient matters",
                    "The steps overshoot: the loss oscillates or blows up",
                    "The network stops updating its bias terms"],
        "answer": "c",
        "explanation": "Each step moves lr * gradient; too large a step jumps over the "
                       "valley, so the loss bounces around or grows to inf/NaN. Too small a "
                       "step is safe but slow. No single value (such as 0.01) is always "
                       "right: it depends on the model, the loss and the data scale.",
        "why_wrong": {
            "a": "Tempting because larger steps are faster at first; but past a limit set by "
                 "the valley's curvature every step overshoots more than it gains.",
            "b": "Tempting because the gradient gives the direction; but the step is lr times "
                 "the gradient, so lr sets the length of every step.",
            "d": "Tempting because biases are 'special'; but lr scales every update alike, "
                 "biases included.",
        },
    },
    {
        "id": "chain-rule-w5",
        "topic": "backprop",
        "question": "In the 2-2-2 sigmoid network of the backpropagation example, with "
                    "E = 1/2*(t_o1 - out_o1)^2 + 1/2*(t_o2 - out_o2)^2 and "
                    "net_o1 = w5*out_h1 + w6*out_h2 + b2, which product is dE/dw5?",
        "options": ["(out_o1 - t_o1) * out_h1",
                    "(out_o1 - t_o1) * out_o1*(1 - out_o1) * w5",
                    "(out_o1 - t_o1) * net_o1*(1 - net_o1) * out_h1",
                    "(out_o1 - t_o1) * out_o1*(1 - out_o1) * out_h1"],
        "answer": "d",
        "explanation": "Chain rule: dE/dout_o1 = out_o1 - t_o1, dout_o1/dnet_o1 = "
                       "out_o1*(1 - out_o1) (sigmoid), dnet_o1/dw5 = out_h1. With the "
                       "example's numbers: 0.74136507 * 0.186815602 * 0.593269992 = "
                       "0.082167041.",
        "why_wrong": {
            "a": "The sigmoid's derivative is forgotten: out_o1 depends on w5 through the "
                 "sigmoid, so its slope out_o1*(1 - out_o1) is one factor of the chain.",
            "b": "Tempting because w5 appears in net_o1; but dnet_o1/dw5 is the input that "
                 "w5 multiplies, out_h1. The factor w5 belongs to dE/dout_h1 (the hidden "
                 "layer's chain).",
            "c": "sigma' applied to the net input: the sigmoid's slope is s(z)*(1 - s(z)) "
                 "with s(z) = out_o1, not net_o1*(1 - net_o1).",
        },
    },
    {
        "id": "w5-update",
        "topic": "backprop",
        "question": "Continuing the example: w5 = 0.4, dE/dw5 = 0.082167041 and the "
                    "learning rate is 0.5. What is w5 after one gradient-descent step?",
        "options": ["0.44108352", "0.31783296", "0.35891648", "0.48216704"],
        "answer": "c",
        "explanation": "w5 - lr * dE/dw5 = 0.4 - 0.5 * 0.082167041 = 0.35891648. Subtracting "
                       "moves w5 against the gradient, which lowers the error. All weights "
                       "of one step are computed from the old weights, then updated together.",
        "why_wrong": {
            "a": "This adds lr * gradient: a step uphill (gradient ascent), which raises the "
                 "error.",
            "b": "This subtracts the whole gradient: the learning rate 0.5 is forgotten.",
            "d": "This adds the whole gradient: both the sign and the learning rate are "
                 "wrong.",
        },
    },
    {
        "id": "epoch",
        "topic": "backprop",
        "question": "What is one epoch of training?",
        "options": ["One update of the weights",
                    "1000 weight updates, the usual training length",
                    "One pass through the whole training set",
                    "The time until the loss stops decreasing"],
        "answer": "c",
        "explanation": "An epoch means every training example has been used once; with "
                       "mini-batches of size B that is about N/B updates. How many epochs to "
                       "train is chosen by watching the validation loss; there is no "
                       "universally preferred number such as 1000.",
        "why_wrong": {
            "a": "Tempting because full-batch descent does one update per pass; but with "
                 "mini-batches one epoch holds about N/B updates (steps, or iterations).",
            "b": "Tempting because the slides quote 1000 as a preferred count; but that is a "
                 "training length, not what an epoch is.",
            "d": "Tempting because training stops there; but that is a whole run of many "
                 "epochs (early stopping).",
        },
    },
    {
        "id": "learning-rate-meaning",
        "topic": "backprop",
        "question": "In the update w <- w - lr * dE/dw, what is the learning rate lr?",
        "options": ["How much the error changes when a weight changes by one unit",
                    "The fraction of the training set used for each update",
                    "The number of epochs to train for",
                    "A positive step size that scales every update"],
        "answer": "d",
        "explanation": "How much the error changes per unit change of a weight is the "
                       "derivative dE/dw, the gradient; the update multiplies it by lr. The "
                       "learning rate only sets how far to move along it: too small creeps, "
                       "too large overshoots. Epochs and the batch size are separate "
                       "settings.",
        "why_wrong": {
            "a": "Tempting because the lecture slides define it this way; but that is the "
                 "gradient dE/dw, which the update multiplies by lr.",
            "c": "Tempting because both are chosen before training; but the number of epochs "
                 "is how long to train, not how far each step goes.",
            "b": "Tempting because both shape each update; but that fraction is the batch "
                 "size over N, a separate setting.",
        },
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
        "why_wrong": {
            "a": "1 is the largest slope of tanh (and of ReLU for z > 0), not of the sigmoid.",
            "b": "0.5 is the sigmoid's value at x = 0, not its slope there.",
            "d": "Tempting because exp grows without bound; but the sigmoid is flat at both "
                 "ends, and its slope is largest, and finite, at 0.",
        },
    },
    {
        "id": "tanh-zero-centred",
        "topic": "activations",
        "question": "What does tanh offer that the logistic sigmoid does not?",
        "options": ["It never saturates",
                    "Outputs centred on 0, in (-1, 1)",
                    "Its derivative is 1 everywhere",
                    "It cannot produce negative outputs"],
        "answer": "b",
        "explanation": "tanh(x) = 2*s(2x) - 1 has outputs in (-1, 1) centred on 0, so the "
                       "next layer's inputs are not all positive (all-positive inputs force "
                       "the gradients of a unit's weights to share one sign, which makes "
                       "updates zig-zag). It still saturates for large |x|; its derivative "
                       "1 - tanh^2 peaks at 1 (at x = 0).",
        "why_wrong": {
            "a": "Tempting because tanh's slope is steeper; but it flattens at -1 and 1 just "
                 "as the sigmoid flattens at 0 and 1.",
            "c": "Tempting because tanh'(0) = 1; but 1 - tanh^2 falls towards 0 for large "
                 "|x|.",
            "d": "That is the sigmoid (and ReLU); tanh's outputs range from -1 to 1.",
        },
    },
    {
        "id": "dead-relu",
        "topic": "activations",
        "question": "A ReLU unit receives a negative input for every training example "
                    "(e.g. after a large update pushed its bias far down). What happens?",
        "options": ["It saturates at 1 like a sigmoid and learns slowly",
                    "It passes its input on unchanged, like a linear unit",
                    "Its gradient explodes because its inputs are negative",
                    "It outputs 0 and gets no gradient: it is dead"],
        "answer": "d",
        "explanation": "relu(z) = max(0, z) has derivative 0 for z < 0. If z < 0 for all "
                       "inputs, no gradient reaches the unit's weights, so it may never "
                       "recover. Smaller learning rates or leaky ReLU (slope 0.01 for z < 0) "
                       "help.",
        "why_wrong": {
            "a": "Tempting because both have flat parts; but ReLU has no upper limit, and "
                 "its flat part is at 0 for z < 0.",
            "b": "Tempting because ReLU is linear for z > 0; for z < 0 it outputs 0.",
            "c": "Tempting because something goes wrong; but the slope for z < 0 is 0, not "
                 "large: nothing flows back at all.",
        },
    },
    {
        "id": "why-nonlinear",
        "topic": "activations",
        "question": "A network has 10 layers but uses the identity (no activation function) "
                    "in every layer. What can it represent?",
        "options": ["Only what one linear layer can",
                    "Any continuous function, given enough units per layer",
                    "XOR, because it has hidden layers",
                    "Only constant functions"],
        "answer": "a",
        "explanation": "W10(...(W2(W1 x + b1) + b2)...) + b10 = W x + b for one matrix W and "
                       "one vector b. Depth only adds expressive power with a nonlinearity "
                       "between the layers; that is why activation functions are needed.",
        "why_wrong": {
            "b": "Tempting because of the universal approximation theorem; but it needs a "
                 "nonlinear activation, and without one the layers collapse into one.",
            "c": "Tempting because XOR needs a hidden layer; but a hidden layer helps only "
                 "with a nonlinearity: linear layers compose to one linear map.",
            "d": "Tempting because 'no activation' sounds like 'no output'; but W x + b still "
                 "depends on x: the network fits any linear map.",
        },
    },
    {
        "id": "relu-speed",
        "topic": "activations",
        "question": "Why do deep ReLU networks usually train faster than sigmoid networks "
                    "of the same shape?",
        "options": ["Active ReLUs pass gradients on at full strength",
                    "ReLU outputs lie between 0 and 1, which keeps updates small",
                    "ReLU outputs are zero-centred, so updates do not zig-zag",
                    "ReLU units have fewer weights to train"],
        "answer": "a",
        "explanation": "ReLU's derivative is 1 for every positive input, so gradients do not "
                       "shrink layer by layer as with the sigmoid (at most 0.25 per layer), "
                       "and ReLU is cheap to compute. This eases the vanishing-gradient "
                       "problem rather than removing it for good, as the slides suggest: "
                       "dead units and badly scaled initial weights can still stall training.",
        "why_wrong": {
            "b": "That describes the sigmoid; ReLU has no upper limit.",
            "c": "Tempting because zero-centring does help; but ReLU outputs are all >= 0 "
                 "(tanh is the zero-centred one).",
            "d": "Tempting because ReLU is simpler; but the activation comes after the "
                 "weighted sum, so the number of weights depends only on the layer sizes.",
        },
    },
    {
        "id": "momentum-terminal",
        "topic": "activations",
        "question": "SGD with momentum: v <- mu*v - lr*g, then w <- w + v, with 0 < mu < 1. "
                    "If the gradient g stays the same step after step, how long do the "
                    "steps |v| become?",
        "options": ["lr / (1 - mu)", "lr * g / (1 - mu)", "lr * g * mu, as mu shrinks every step",
                    "(lr + mu) * g"],
        "answer": "b",
        "explanation": "v approaches the fixed point v = mu*v - lr*g, that is "
                       "v = -lr*g / (1 - mu): with mu = 0.9 the steps grow to 10 times the "
                       "plain SGD step lr*g. Momentum accumulates past gradients; it does not "
                       "replace them.",
        "why_wrong": {
            "a": "The gradient is missing: the step is a multiple of lr*g, so it scales with "
                 "the gradient (an error of an earlier version of lesson 04).",
            "c": "Tempting because mu multiplies v each step; but the steps add up to the "
                 "geometric series lr*g*(1 + mu + mu^2 + ...), which is larger than lr*g.",
            "d": "Momentum treated as a second learning rate: mu multiplies the previous step, "
                 "it is not added to lr.",
        },
    },
]
