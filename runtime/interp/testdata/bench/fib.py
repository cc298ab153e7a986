# Recursive calls: naive fib, Ackermann-style mutual recursion.
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def is_even(n: int) -> bool:
    return True if n == 0 else is_odd(n - 1)


def is_odd(n: int) -> bool:
    return False if n == 0 else is_even(n - 1)


def tak(x: int, y: int, z: int) -> int:
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z


print(fib(31))
c = 0
for i in range(3000):
    if is_even(i % 300 * 3):
        c += 1
print(c)
print(tak(21, 14, 7))
