from dataclasses import dataclass, field
from enum import Enum
import json

class Kind(Enum):
    TOOL = "tool"
    FOOD = "food"
    TOY = "toy"

@dataclass(eq=False)
class Item:
    price: float
    name: str
    kind: Kind = field(compare=False, default=Kind.TOOL)
    tags: list = field(default_factory=list, compare=False)

    def __lt__(self, other):
        return (self.price, self.name) < (other.price, other.name)

def make(i):
    k = [Kind.TOOL, Kind.FOOD, Kind.TOY][i % 3]
    return Item(round((i * 37 % 1000) / 7, 2), f"item{i:05d}", k, ["t" + str(i % 4), "x" * (i % 3)])

items = [make(i) for i in range(20000)]
by_kind = {}
for it in items:
    by_kind.setdefault(it.kind, []).append(it)
stats = {k.value: (len(v), round(sum(x.price for x in v), 2), max(v).name) for k, v in by_kind.items()}
cheap = sorted(items)[:3]
dump = json.dumps([{"n": it.name, "p": it.price, "k": it.kind.value, "t": it.tags} for it in items[:200]], sort_keys=True)
back = json.loads(dump)
tagc = {}
for it in items:
    for t in it.tags:
        if t:
            tagc[t] = tagc.get(t, 0) + 1
print(stats)
print(cheap[0], Kind("food"), Kind.TOY.name, len(dump), back[5], sorted(tagc.items()))
print(items[3] == make(3), items[3] < items[4], repr(items[10].kind), [k.name for k in Kind])
