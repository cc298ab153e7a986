package stdlib_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

var update = flag.Bool("update", false, "rewrite the coverage tables in docs/ from what the modules register")

// samples are instances whose attributes count for their class: methods of
// values implemented in Go are attributes of the instances, not of the class.
var samples = map[string]string{
	"asyncio.Event":            "asyncio.Event()",
	"asyncio.Lock":             "asyncio.Lock()",
	"asyncio.Queue":            "asyncio.Queue()",
	"asyncio.Semaphore":        "asyncio.Semaphore()",
	"collections.ChainMap":     "collections.ChainMap()",
	"csv.DictReader":           "csv.DictReader(io.StringIO('a\\n1\\n'))",
	"csv.DictWriter":           "csv.DictWriter(io.StringIO(), ['a'])",
	"decimal.DecimalTuple":     "decimal.Decimal(1).as_tuple()",
	"hmac.HMAC":                "hmac.new(b'k', b'm', 'sha256')",
	"random.SystemRandom":      "random.SystemRandom()",
	"time.struct_time":         "time.gmtime(0)",
	"urllib.parse.ParseResult": "urllib.parse.urlparse('http://a/b')",
	"urllib.parse.SplitResult": "urllib.parse.urlsplit('http://a/b')",
	"collections.Counter":      "collections.Counter()",
	"collections.OrderedDict":  "collections.OrderedDict()",
	"collections.defaultdict":  "collections.defaultdict(list)",
	"collections.deque":        "collections.deque()",
	"datetime.date":            "datetime.date(2024, 1, 1)",
	"datetime.datetime":        "datetime.datetime(2024, 1, 1)",
	"datetime.time":            "datetime.time(1, 2)",
	"datetime.timedelta":       "datetime.timedelta(1)",
	"datetime.timezone":        "datetime.timezone.utc",
	"datetime.tzinfo":          "datetime.timezone.utc",
	"decimal.Context":          "decimal.getcontext()",
	"decimal.Decimal":          "decimal.Decimal(1)",
	"fractions.Fraction":       "fractions.Fraction(1, 2)",
	"functools.partial":        "functools.partial(print)",
	"io.BytesIO":               "io.BytesIO()",
	"io.StringIO":              "io.StringIO()",
	"pathlib.Path":             "pathlib.Path('.')",
	"random.Random":            "random.Random(1)",
	"re.Match":                 "re.match('a', 'a')",
	"re.Pattern":               "re.compile('a')",
	"statistics.NormalDist":    "statistics.NormalDist()",
	"string.Formatter":         "string.Formatter()",
	"string.Template":          "string.Template('')",
	"textwrap.TextWrapper":     "textwrap.TextWrapper()",
	"uuid.UUID":                "uuid.uuid4()",
}

// apiName is one public name of CPython's API: a module-level name, or
// Class.attr for an attribute a class of the module defines.
type apiName struct{ module, name string }

// TestCPythonCoverage checks the tables of docs/stdlib-coverage.md and
// docs/language.md against the modules: every public name of CPython 3.12
// (testdata/cpython312_names.txt, printed by hack/stdlib_names.py) is looked up
// with hasattr in a Jac program; the tables list the ones we lack. Run with
// -update to rewrite them.
func TestCPythonCoverage(t *testing.T) {
	names := readAPINames(t, "testdata/cpython312_names.txt")
	missing := lookUp(t, names)
	total := map[string]int{}
	for _, n := range names {
		total[n.module]++
	}
	files := map[string]string{
		"../../docs/stdlib-coverage.md": coveragePage(names, total, missing),
		"../../docs/language.md":        "",
	}
	lang, err := os.ReadFile("../../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	files["../../docs/language.md"] = replaceBetween(t, string(lang), coverageTable(names, total, missing))
	for path, want := range files {
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s is not what the modules register now: run go test ./runtime/stdlib -run TestCPythonCoverage -update", filepath.Base(path))
		}
	}
}

func readAPINames(t *testing.T, path string) []apiName {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []apiName
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		module, name, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		out = append(out, apiName{module, name})
	}
	return out
}

// lookUp runs one Jac program that prints, for each name, whether we have it.
func lookUp(t *testing.T, names []apiName) map[apiName]bool {
	var prog strings.Builder
	seen := map[string]bool{}
	for _, n := range names {
		if !seen[n.module] {
			seen[n.module] = true
			fmt.Fprintf(&prog, "import %s;\n", n.module)
		}
	}
	prog.WriteString("with entry {\n")
	for _, n := range names {
		class, attr, isAttr := strings.Cut(n.name, ".")
		if !isAttr {
			fmt.Fprintf(&prog, "    print(hasattr(%s, %q));\n", n.module, n.name)
			continue
		}
		expr := fmt.Sprintf("hasattr(getattr(%s, %q, None), %q)", n.module, class, attr)
		if s, ok := samples[n.module+"."+class]; ok {
			expr += fmt.Sprintf(" or hasattr(%s, %q)", s, attr)
		}
		fmt.Fprintf(&prog, "    print(%s);\n", expr)
	}
	prog.WriteString("}\n")
	dir := t.TempDir()
	path := filepath.Join(dir, "coverage.jac")
	if err := os.WriteFile(path, []byte(prog.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	if _, err := interp.Load(th, path); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	th.Out.Flush()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(names) {
		t.Fatalf("%d answers for %d names", len(lines), len(names))
	}
	missing := map[apiName]bool{}
	for i, n := range names {
		if lines[i] != "True" {
			missing[n] = true
		}
	}
	return missing
}

// missingOf lists the missing names of module in file order.
func missingOf(module string, names []apiName, missing map[apiName]bool) []string {
	var out []string
	for _, n := range names {
		if n.module == module && missing[n] {
			out = append(out, "`"+n.name+"`")
		}
	}
	return out
}

func modulesOf(names []apiName) []string {
	var out []string
	for i, n := range names {
		if i == 0 || names[i-1].module != n.module {
			out = append(out, n.module)
		}
	}
	return out
}

const generatedBy = "Generated by `go test ./runtime/stdlib -run TestCPythonCoverage -update` from\n" +
	"`runtime/stdlib/testdata/cpython312_names.txt` (`python3.12 hack/stdlib_names.py`)."

// coverageTable is the per-module table of docs/language.md: the missing
// names in full when there are at most 40, else a link to the full list.
func coverageTable(names []apiName, total map[string]int, missing map[apiName]bool) string {
	var b strings.Builder
	b.WriteString(generatedBy + "\n\n")
	b.WriteString("| module | CPython names | we lack | missing |\n|---|---|---|---|\n")
	for _, m := range modulesOf(names) {
		miss := missingOf(m, names, missing)
		list := strings.Join(miss, ", ")
		switch {
		case len(miss) == 0:
			list = "nothing"
		case len(miss) > 40:
			list = fmt.Sprintf("[%d names](stdlib-coverage.md#%s)", len(miss), strings.ReplaceAll(m, ".", ""))
		}
		fmt.Fprintf(&b, "| `%s` | %d | %d | %s |\n", m, total[m], len(miss), list)
	}
	return b.String()
}

// coveragePage is docs/stdlib-coverage.md: every missing name of every module.
func coveragePage(names []apiName, total map[string]int, missing map[apiName]bool) string {
	var b strings.Builder
	b.WriteString("# Standard-library names we lack, against CPython 3.12\n\n")
	b.WriteString("Every public name of the CPython 3.12 modules that runtime/stdlib implements (the\n" +
		"module's `__all__`, else its public `dir()`; `Class.attr` for what a class of the module\n" +
		"defines itself) that our module does not have. A name counts as present when `hasattr`\n" +
		"finds it on the module, on the class, or on a sample instance.\n\n" + generatedBy + "\n")
	for _, m := range modulesOf(names) {
		miss := missingOf(m, names, missing)
		fmt.Fprintf(&b, "\n## %s\n\n%d of %d names missing", m, len(miss), total[m])
		if len(miss) > 0 {
			b.WriteString(": " + strings.Join(miss, ", "))
		}
		b.WriteString(".\n")
	}
	return b.String()
}

const (
	tableBegin = "<!-- stdlib-coverage:begin -->\n"
	tableEnd   = "<!-- stdlib-coverage:end -->\n"
)

func replaceBetween(t *testing.T, doc, table string) string {
	i := strings.Index(doc, tableBegin)
	j := strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatal("docs/language.md has no stdlib-coverage markers")
	}
	return doc[:i+len(tableBegin)] + table + doc[j:]
}
