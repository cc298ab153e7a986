# Exceptions raised and caught in a loop: custom classes, ValueError from int(), KeyError, finally.
class AppError(Exception):
    pass


class NotFound(AppError):
    pass


def lookup(d: dict, k: str) -> int:
    if k not in d:
        raise NotFound("missing " + k)
    return d[k]


def parse(s: str) -> int:
    try:
        return int(s)
    except ValueError:
        return -1


d = {"a": 1, "b": 2}
found = 0
missing = 0
for i in range(300000):
    try:
        found += lookup(d, "a" if i % 3 == 0 else "z")
    except AppError as e:
        missing += 1
print(found, missing)
vals = [str(i) if i % 2 else "x" + str(i) for i in range(150000)]
print(sum(parse(v) for v in vals))
fin = 0
ke = 0
for i in range(150000):
    try:
        try:
            v = d["q"]
        finally:
            fin += 1
    except KeyError:
        ke += 1
print(fin, ke)
