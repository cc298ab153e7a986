from functools import cmp_to_key

class InsufficientFunds(Exception):
    def __init__(self, need, have):
        super().__init__(f"need {need}, have {have}")
        self.need = need
        self.have = have

class Ledger:
    def __init__(self):
        self._entries = []
        self._balance = 0

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, v):
        if v < 0:
            raise InsufficientFunds(-v, self._balance)
        self._balance = v

    def __len__(self):
        return len(self._entries)

    def __getitem__(self, i):
        return self._entries[i]

    def __iter__(self):
        return iter(self._entries)

    def __contains__(self, tag):
        return any(e[0] == tag for e in self._entries)

    def __str__(self):
        return "Ledger(%d entries, balance=%d)" % (len(self), self._balance)

    def post(self, tag, amount):
        self.balance = self._balance + amount
        self._entries.append((tag, amount))

def counter(start):
    n = start
    def bump(by=1):
        nonlocal n
        n += by
        return n
    return bump

def logged(fn):
    calls = []
    def wrapper(*args, **kw):
        calls.append(len(args) + len(kw))
        return fn(*args, **kw)
    wrapper.calls = calls
    return wrapper

@logged
def fee(amount, rate=3):
    q, r = divmod(amount * rate, 100)
    return q + (1 if r >= 50 else 0)

def classify(e):
    match e:
        case (tag, amt) if amt < 0:
            return "debit"
        case (str() as tag, 0):
            return "zero"
        case (tag, amt) if amt > 500:
            return "big"
        case _:
            return "credit"

def cmp(a, b):
    if a[1] != b[1]:
        return -1 if a[1] > b[1] else 1
    return (a[0] > b[0]) - (a[0] < b[0])

led = Ledger()
bump = counter(100)
failed = 0
kinds = {}
for i in range(30000):
    tag = "t" + str(i % 250).zfill(4)
    amount = (i * 7919) % 1200 - 450
    try:
        led.post(tag, amount - fee(abs(amount), rate=2 + i % 3))
    except InsufficientFunds as ex:
        failed += 1
        bump(ex.need % 3)
    finally:
        bump()
for e in led:
    k = classify(e)
    kinds[k] = kinds.get(k, 0) + 1
top = sorted(led[:400], key=cmp_to_key(cmp))[:3]
print(str(led), failed, bump(0), sorted(kinds.items()), top)
print("t0007" in led, "zzz" in led, len(fee.calls), sum(fee.calls))
print(f"{led.balance:>12,}|{led.balance / 7:10.3f}|{'x':^7}|{len(led):#x}|{failed:08b}")
print("a-b-c".partition("-"), "a-b-c".rsplit("-", 1), "Ab".center(6, "*"), "q".ljust(3, ".") + "|")
print(pow(3, 10 ** 5, 1000007), (1 << 70) // 3 % 1000, -17 // 5, -17 % 5, round(2.675, 2), round(-0.5), 7 ^ 12 & 5 | 2)
try:
    Ledger().post("x", -5)
except InsufficientFunds as ex:
    print(ex, ex.args, repr(ex.need), type(ex).__name__, isinstance(ex, Exception))
