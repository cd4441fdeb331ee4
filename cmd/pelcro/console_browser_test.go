package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotsVariable names the directory where the browser test saves the console's pictures; `make
// screenshots` sets it to docs/operations, whose pictures docs/operations.md shows. Unset, they go to the
// test's temporary directory: an ordinary test run leaves the working tree as it found it.
const screenshotsVariable = "PELCRO_SCREENSHOTS_DIR"

// chromiumPath finds the browser: Debian's chromium package (.ci/run installs it). Without it the test fails
// under CI=true, since a skipped browser test would let a broken console through, and skips elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed (apt-get install chromium; .ci/run does it): the console's browser test cannot run")
	}
	t.Skip("Chromium is not installed (apt-get install chromium): skipping the console's browser test")
	return ""
}

func TestConsoleInABrowser(t *testing.T) {
	t.Parallel()
	browser := chromiumPath(t)
	// given a running server with Ann's history and an API key of her account
	w := givenAdminWorld(t)
	w.timeline(t, 3)
	// The whole browser lives within this time: the timeout is on the allocator's context, so a hung page
	// ends the browser and fails the test instead of holding the suite.
	bounded, cancelBounded := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancelBounded()
	options := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 860))
	allocator, cancelAllocator := chromedp.NewExecAllocator(bounded, options...)
	defer cancelAllocator()
	ctx, cancelBrowser := chromedp.NewContext(allocator)
	defer cancelBrowser()
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(step, selector string, want ...string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, s := range want {
			if !strings.Contains(got, s) {
				t.Fatalf("%s: %q lacks %q", step, got, s)
			}
		}
	}

	// when an operator opens the console, is sent to sign in and signs in with the key
	run("sign in", chromedp.Navigate(w.base+"/admin"), chromedp.WaitVisible(chromedp.CSS("#key")),
		chromedp.SendKeys(chromedp.CSS("#key"), w.keyA), chromedp.Click(chromedp.CSS("#sign-in")),
		chromedp.WaitVisible(chromedp.CSS("#projections")))
	// then the home page shows the read models
	text("home", "#projections", "customers.v1")
	screenshot(t, ctx, "console-home.png")

	// when she is searched for by the start of her email
	run("search", chromedp.SendKeys(chromedp.CSS("#q"), "ann@"), chromedp.Click(chromedp.CSS("#search")),
		chromedp.WaitVisible(chromedp.CSS("#matches")))
	text("search results", "#matches", "ann@example.com", "Annie")
	screenshot(t, ctx, "console-search.png")

	// and her timeline is opened
	run("timeline", chromedp.Click(chromedp.CSS("#matches a.customer")), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	text("timeline", "#timeline", "registered on site 1232", "customer.registered")
	screenshot(t, ctx, "console-timeline.png")

	// and the customer is shown as of her registration, the oldest entry
	run("as of", chromedp.Click(chromedp.CSS("#timeline tbody tr:last-child a.as-of")),
		chromedp.WaitVisible(chromedp.CSS("#as-of-customer")))
	// then she is Annabel again, as she was then
	text("as of", "#as-of-customer", "Annabel Lee", "ann@example.com")
	screenshot(t, ctx, "console-as-of.png")

	// and a customer of another account is not shown, however the URL is typed
	run("another account", chromedp.Navigate(w.base+"/admin/customers/999999"), chromedp.WaitVisible(chromedp.CSS("#problem")))
	text("another account", "#problem", "No customer with this id in your account.")
}

// screenshot saves the page as name in the screenshots directory (see screenshotsVariable).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv(screenshotsVariable)
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatalf("save %s: %v", name, err)
	}
}
