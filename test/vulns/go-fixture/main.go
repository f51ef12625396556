// A Go program built against known-vulnerable module versions (golang.org/x/text v0.3.7 and a 2021
// golang.org/x/net pseudo-version), so its embedded build info lists them for the matching tests.
package main

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

func main() {
	tag := language.Make("en-GB")
	doc, err := html.Parse(strings.NewReader("<p>posture</p>"))
	fmt.Println(tag, doc != nil, err)
}
