class Matrix:
    def __init__(self, rows):
        self.rows = rows
        self.n = len(rows)
        self.m = len(rows[0])

    def __matmul__(self, other):
        cols = list(zip(*other.rows))
        return Matrix([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])

    def __add__(self, other):
        return Matrix([[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(self.rows, other.rows)])

    def __mul__(self, k):
        return Matrix([[a * k for a in r] for r in self.rows])

    def __getitem__(self, ij):
        i, j = ij
        return self.rows[i][j]

    def transpose(self):
        return Matrix([list(c) for c in zip(*self.rows)])

    def trace(self):
        return sum(self[i, i] for i in range(min(self.n, self.m)))

def identity(n):
    return Matrix([[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)])

def power(mat, e):
    result = identity(mat.n)
    while e:
        if e & 1:
            result = result @ mat
        mat = mat @ mat
        e >>= 1
    return result

n = 44
a = Matrix([[((i * 3 + j * 5) % 11 - 5) / 10 for j in range(n)] for i in range(n)])
b = a.transpose() * 0.5 + identity(n)
p = power(b, 13)
q = (a @ b) + (b @ a).transpose()
print(round(p.trace(), 6), round(q.trace(), 6), round(p[3, 7], 9), round(sum(map(sum, q.rows)), 6))
fib = Matrix([[1, 1], [1, 0]])
print(power(fib, 90)[0, 1], [round(x, 3) for x in (b @ identity(n)).rows[5][:6]])
