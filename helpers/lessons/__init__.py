"""Aids used by one lesson each (not part of the general library students read first).

logic        McCulloch-Pitts threshold units as logic gates        (lesson 01)
diagrams     drawings of a neuron and of a network                  (lessons 01-03)
walkthrough  the 2-2-2 backpropagation example, number by number   (lesson 03)
vanishing    per-layer gradient norms of an MLP                     (lesson 04)
bagging      outputs of randomly thinned networks                   (lesson 05)
quiz_bank    the course's quiz questions (data in quiz_questions_*) (every lesson, lesson 07)
"""
