package server_test

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium finds Debian's headless Chromium (make test installs it).
func chromium(t *testing.T) string {
	for _, c := range []string{os.Getenv("JAC_TEST_CHROMIUM"), "chromium", "chromium-browser"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed (make test installs it)")
	return ""
}

// runChromium runs headless Chromium on url with extra flags and returns stdout.
func runChromium(t *testing.T, bin, url string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=800,600", "--virtual-time-budget=10000"}, extra...)
	out, err := exec.CommandContext(ctx, bin, append(args, url)...).Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", extra, err)
	}
	return string(out)
}

const graphApp = `
node Item { has name: str; }
walker build { can go with Root entry { for n in ["a", "b", "c"] { here ++> Item(name=n); } report len([-->]); } }
`

// TestGraphPageInChromium opens /graph in headless Chromium for a user with a
// root and three nodes, checks the page loaded the data and drew the nodes on
// its canvas, and keeps the screenshot (go test -artifacts).
func TestGraphPageInChromium(t *testing.T) {
	bin := chromium(t)
	s := startApp(t, graphApp)
	tok, _ := s.register("viewer")
	if got := reports(t, s.do("POST", "/walker/build", tok, map[string]any{})); got[0] != float64(3) {
		t.Fatalf("build: %v", got)
	}
	url := s.url + "/graph?token=" + tok

	dom := runChromium(t, bin, url, "--dump-dom")
	if !strings.Contains(dom, `data-nodes="4"`) || !strings.Contains(dom, "4 nodes, 3 edges") {
		t.Fatalf("page did not load the graph:\n%s", dom)
	}

	shot := filepath.Join(t.ArtifactDir(), "graph.png")
	runChromium(t, bin, url, "--screenshot="+shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Count pixels in the node colours: root #d55, other nodes #58c.
	var rootPx, nodePx int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, g, bl, 0xdd, 0x55, 0x55) {
				rootPx++
			}
			if near(r, g, bl, 0x55, 0x88, 0xcc) {
				nodePx++
			}
		}
	}
	// A node is a disc of radius 10 (about 314 px).
	if rootPx < 200 || nodePx < 3*200 {
		t.Fatalf("nodes not drawn: %d root pixels, %d node pixels (screenshot %s)", rootPx, nodePx, shot)
	}
	t.Logf("drawn: %d root pixels, %d node pixels; screenshot %s", rootPx, nodePx, shot)
}

func near(r, g, b uint32, wr, wg, wb int) bool {
	d := func(a uint32, w int) int { x := int(a>>8) - w; return x * x }
	return d(r, wr)+d(g, wg)+d(b, wb) < 3*12*12
}
