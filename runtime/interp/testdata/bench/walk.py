# An object-spatial walk over a few thousand nodes and edges: a tree with cross links,
# a breadth-first visitor that marks the nodes it enters, sums their values and the
# weights of their out-edges, and follows the edges whose weight is above 2.
class Node:
    def __init__(self, val: int):
        self.val = val
        self.mark = 0
        self.out = []


class Link:
    def __init__(self, src: Node, dst: Node, w: int):
        self.src = src
        self.dst = dst
        self.w = w


def connect(a: Node, b: Node, w: int) -> None:
    a.out.append(Link(a, b, w))


class Summer:
    def __init__(self, rnd: int):
        self.rnd = rnd
        self.total = 0
        self.count = 0
        self.wsum = 0

    def enter(self, here: Node, queue: list) -> None:
        if here.mark == self.rnd:
            return
        here.mark = self.rnd
        self.count += 1
        self.total += here.val
        for e in here.out:
            self.wsum += e.w
        for e in here.out:
            if e.w > 2:
                queue.append(e.dst)

    def walk(self, root: Node) -> None:
        queue = [e.dst for e in root.out]
        while queue:
            self.enter(queue.pop(0), queue)


root = Node(0)
nodes = [Node(i) for i in range(3000)]
connect(root, nodes[0], 5)
for i in range(1, 3000):
    connect(nodes[(i - 1) // 3], nodes[i], i % 7)
for i in range(3000):
    connect(nodes[i], nodes[i * 7 % 3000], i % 5)
t = 0
c = 0
w = 0
for r in range(1, 401):
    s = Summer(r)
    s.walk(root)
    t += s.total
    c += s.count
    w += s.wsum
print(t, c, w)
