import Matrices
