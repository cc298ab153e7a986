import math

class Shape:
    def __init__(self, name):
        self.name = name

    @property
    def area(self):
        return 0.0

    def key(self):
        return (type(self).__name__, round(self.area, 6))

    def __eq__(self, other):
        return isinstance(other, Shape) and self.key() == other.key()

    def __hash__(self):
        return hash(self.key())

    def __lt__(self, other):
        return (self.area, self.name) < (other.area, other.name)

    def __repr__(self):
        return f"{type(self).__name__}({self.name}, {self.area:.2f})"

class Circle(Shape):
    def __init__(self, name, r):
        super().__init__(name)
        self.r = r

    @property
    def area(self):
        return math.pi * self.r * self.r

class Rect(Shape):
    def __init__(self, name, w, h):
        super().__init__(name)
        self.w = w
        self.h = h

    @property
    def area(self):
        return self.w * self.h

class Square(Rect):
    def __init__(self, name, s):
        super().__init__(name, s, s)

shapes = []
for i in range(12000):
    k = i % 3
    if k == 0:
        shapes.append(Circle("c" + str(i), i % 17 + 1))
    elif k == 1:
        shapes.append(Rect("r" + str(i), i % 13 + 1, i % 7 + 1))
    else:
        shapes.append(Square("s" + str(i), i % 11 + 1))
uniq = set(shapes)
srt = sorted(shapes)
by_type = {}
for s in uniq:
    by_type[type(s).__name__] = by_type.get(type(s).__name__, 0) + 1
print(len(uniq), srt[0], srt[-1], sorted(by_type.items()))
print(Rect("a", 2, 3) == Rect("b", 3, 2), Square("q", 2) == Rect("r", 2, 2), Circle("x", 1) in uniq)
print(max(shapes).name, min(shapes, key=lambda s: (s.area, s.name)).name, sum(s.area for s in uniq) > 0)
