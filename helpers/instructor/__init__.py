"""The instructor's toolkit: nothing here is needed to follow the lessons or do the labs.

grading   build labs from solutions, grade submitted labs (``python -m helpers build-labs``,
          ``python -m helpers grade``)
execute   re-run notebooks in place in a fresh kernel (``python -m helpers execute``)
bench     training-speed benchmark (``python -m helpers bench``)
gemm_reference  what the benchmark compares training with (GEMM rate, FLOPs, BLAS/CPU)
"""
