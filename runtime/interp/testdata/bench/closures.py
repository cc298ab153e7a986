# Closures and lambdas: counters with nonlocal, adders, composed lambdas, map/filter.
def make_counter():
    n = 0

    def inc(k: int) -> int:
        nonlocal n
        n += k
        return n

    return inc


def make_adder(a: int):
    return lambda x: x + a


def compose(f, g):
    return lambda x: f(g(x))


c = make_counter()
for i in range(600000):
    c(i % 3)
print(c(0))
adders = [make_adder(k) for k in range(10)]
t = 0
for i in range(300000):
    t += adders[i % 10](i)
print(t)
f = compose(lambda x: x * 2, lambda x: x + 1)
h = compose(f, f)
u = 0
for i in range(300000):
    u += h(i)
print(u)
print(sum(map(lambda v: v * v, filter(lambda v: v % 3 == 0, range(600000)))))
