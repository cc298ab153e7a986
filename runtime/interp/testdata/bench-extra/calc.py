class Token:
    def __init__(self, kind, text):
        self.kind = kind
        self.text = text

def tokenize(src):
    toks = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < n and (src[j].isdigit() or src[j] == "."):
                j += 1
            toks.append(Token("num", src[i:j]))
            i = j
        elif c.isalpha():
            j = i
            while j < n and src[j].isalnum():
                j += 1
            toks.append(Token("name", src[i:j]))
            i = j
        else:
            toks.append(Token("op", c))
            i += 1
    toks.append(Token("end", ""))
    return toks

class Parser:
    def __init__(self, toks, env):
        self.toks = toks
        self.pos = 0
        self.env = env

    def peek(self):
        return self.toks[self.pos]

    def take(self):
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def expr(self):
        v = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take().text
            r = self.term()
            v = v + r if op == "+" else v - r
        return v

    def term(self):
        v = self.factor()
        while self.peek().text in ("*", "/", "%"):
            op = self.take().text
            r = self.factor()
            if op == "*":
                v = v * r
            elif op == "/":
                v = v / r if r != 0 else 0.0
            else:
                v = v % r if r != 0 else 0
        return v

    def factor(self):
        t = self.take()
        if t.kind == "num":
            return float(t.text) if "." in t.text else int(t.text)
        if t.kind == "name":
            if self.peek().text == "(":
                self.take()
                args = [self.expr()]
                while self.peek().text == ",":
                    self.take()
                    args.append(self.expr())
                self.take()
                if t.text == "max":
                    return max(args)
                if t.text == "min":
                    return min(args)
                return sum(args)
            return self.env.get(t.text, 0)
        if t.text == "(":
            v = self.expr()
            self.take()
            return v
        if t.text == "-":
            return -self.factor()
        raise ValueError("bad token " + t.text)

def make_expr(seed, depth):
    if depth == 0:
        r = seed % 5
        if r == 0:
            return "x"
        if r == 1:
            return "y" + str(seed % 3)
        if r == 2:
            return str(seed % 50) + ".5"
        return str(seed % 100)
    ops = "+-*/%"
    op = ops[seed % 5]
    a = make_expr(seed * 3 + 1, depth - 1)
    b = make_expr(seed * 7 + 2, depth - 1)
    if seed % 11 == 0:
        return "max(" + a + ", " + b + ", " + str(seed % 9) + ")"
    if seed % 4 == 0:
        return "-(" + a + " " + op + " " + b + ")"
    return "(" + a + " " + op + " " + b + ")"

env = {"x": 3, "y0": 2.5, "y1": -4, "y2": 10}
total = 0.0
count = 0
errs = 0
for s in range(1, 1000):
    src = make_expr(s, 6)
    try:
        v = Parser(tokenize(src), env).expr()
        total += v
        count += 1
    except ValueError as e:
        errs += 1
    except OverflowError:
        errs += 1
print(count, errs, round(total, 4), len(make_expr(7, 6)))
try:
    Parser(tokenize("3 + )"), env).expr()
except ValueError as e:
    print("error:", e)
