class Node:
    def __init__(self, depth, val):
        self.depth = depth
        self.val = val
        self.kids = []

class Acc:
    def __init__(self, limit):
        self.limit = limit
        self.total = 0
        self.count = 0
        self.leaves = 0
        self.maxd = 0

def build(depth, val):
    n = Node(depth, val)
    if depth < 12:
        n.kids.append(build(depth + 1, val * 2 % 1009))
        n.kids.append(build(depth + 1, (val * 3 + 1) % 1009))
    return n

def walk(root, w):
    queue = [root]
    i = 0
    while i < len(queue):
        here = queue[i]
        i += 1
        w.count += 1
        w.total += here.val
        w.maxd = max(w.maxd, here.depth)
        if not here.kids:
            w.leaves += 1
        queue.extend(k for k in here.kids if k.val < w.limit)
    return w

root = build(0, 1)
res = []
for lim in (300, 600, 900, 1009):
    w = walk(root, Acc(lim))
    res.append((w.limit, w.count, w.total, w.leaves, w.maxd))
for r in range(4):
    w = walk(root, Acc(700 + r))
    res.append((w.count, w.total))
print(res)
