class P:
    def __init__(self, a, b):
        self.a = a; self.b = b
    def mix(self, o):
        return P(self.a * 0.5 + o.b, self.b - o.a * 0.25)
acc = P(1.0, 2.0)
n = 0
keys = {}
for i in range(400000):
    t = (i, i * 3, str(i % 97))
    acc = acc.mix(P(i * 0.001, 1.0))
    if i % 5 == 0:
        keys[f"{t[2]}-{i % 1000}"] = [i, i + 1]
    n += len(t[2])
print(n, len(keys), round(acc.a, 4), round(acc.b, 4))
