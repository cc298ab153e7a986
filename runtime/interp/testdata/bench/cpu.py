# The same program as cpu.jac, in Python, for the speed comparison.
class Acc:
    def __init__(self):
        self.total = 0
    def add(self, x):
        self.total += x
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
r = fib(25)
s = 0
i = 0
while i < 300000:
    s += i * i % 7
    i += 1
xs = []
for k in range(100000):
    xs.append(k * 2)
d = {}
for k in range(50000):
    d[k % 1000] = d.get(k % 1000, 0) + k
parts = []
for k in range(50000):
    parts.append(str(k))
t = ",".join(parts)
a = Acc()
for k in range(100000):
    a.add(k)
print(r, s, len(xs), len(d), len(t), a.total)
