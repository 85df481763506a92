// Package campaignfile reads and writes campaign files: the YAML that `milepost campaign apply
// --file` takes and `milepost campaign show` prints (format in docs/campaigns.md). A malformed
// file is reported with every problem at once, each with the line it is on.
package campaignfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/milepost/milepost"
)

// The keys each level of the file allows, in the order they are documented and written.
var (
	rootKeys    = []string{"partner", "campaign", "rewards", "products"}
	rewardKeys  = []string{"mileage", "condition", "proofOfAddress"}
	termKeys    = []string{"amount", "cadenceDays", "photoBonus"}
	productKeys = []string{"id", "name", "category", "currencyCodes", "countries", "description", "disclosure", "images"}
	imageKeys   = []string{"src", "type"}
)

// rewardTypes maps the file's reward keys to check-in types.
var rewardTypes = map[string]milepost.CheckinType{
	"mileage":        milepost.CheckinMileage,
	"condition":      milepost.CheckinCondition,
	"proofOfAddress": milepost.CheckinProofOfAddress,
}

// YAML tags of plain scalars.
const (
	tagStr       = "!!str"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagBool      = "!!bool"
	tagNull      = "!!null"
	tagTimestamp = "!!timestamp"
)

// Parse reads a campaign file. When the file is malformed — a YAML syntax error, a missing,
// unknown or mistyped field, an amount that is not whole cents, or a break of the domain's own
// rules (milepost.Campaign.Problems) — it returns nil and an *Errors listing every problem
// with its line.
func Parse(data []byte) (*milepost.Campaign, error) {
	p := &parser{lines: map[string]int{}}
	root := p.decode(data)
	if root == nil {
		return nil, p.err()
	}
	p.rootLine = root.Line
	c := p.campaign(root)
	p.domain(c)
	if len(p.problems) > 0 {
		return nil, p.err()
	}
	return c, nil
}

// parser collects the problems of one file and the line of every path it has seen.
type parser struct {
	problems []Problem
	lines    map[string]int // path → line of its key (or list item)
	rootLine int
}

func (p *parser) add(line int, path, format string, args ...any) {
	p.problems = append(p.problems, Problem{Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

// err returns the problems in line order as an *Errors.
func (p *parser) err() error {
	sort.SliceStable(p.problems, func(i, j int) bool {
		a, b := p.problems[i], p.problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Path < b.Path
	})
	return &Errors{Problems: p.problems}
}

// decode turns the bytes into the root node of the single document, or records why it cannot.
func (p *parser) decode(data []byte) *yaml.Node {
	if line, msg := badText(data); line > 0 {
		p.add(line, "", "%s", msg)
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.add(1, "", "the file is empty; a campaign file names its partner and campaign (see docs/campaigns.md).")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(1, "", "the file holds only comments; a campaign file names its partner and campaign (see docs/campaigns.md).")
		} else {
			p.syntax(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := safeDecode(dec, &next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		p.syntax(err)
		return nil
	default:
		p.add(next.Line, "", "the file holds more than one YAML document (---); write one campaign per file.")
		return nil
	}
	if len(doc.Content) == 0 || (doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == tagNull) {
		p.add(max(doc.Line, 1), "", "the file is empty; a campaign file names its partner and campaign (see docs/campaigns.md).")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.add(root.Line, "", "the file must be a mapping of %s, not %s.", strings.Join(rootKeys, ", "), describe(root))
		return nil
	}
	return root
}

// safeDecode decodes the next document, turning a panic of the YAML library into an error so a
// hostile file cannot crash the command.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the decoder failed on this file: %v", r)
		}
	}()
	return dec.Decode(n)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parserProblems are the messages of yaml.v3's parser (as opposed to its scanner). For these,
// yaml.v3 v3.0.1 prints the 0-based line of the construct at fault, so one is added.
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"found undefined tag handle", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found duplicate %YAML directive", "found incompatible YAML document", "found duplicate %TAG directive",
}

// syntax records a YAML decoding error at the line the library reports (corrected to 1-based
// for parser errors; an error without a line is on the first line).
func (p *parser) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = err.Error()[len(m[0]):]
	}
	if slices.Contains(parserProblems, msg) {
		line++
	}
	p.add(max(line, 1), "", "YAML syntax error: %s.", strings.TrimSuffix(msg, "."))
}

// badText finds the first character YAML does not accept (invalid UTF-8 or a control
// character) and returns its line and a message, or 0 when the text is fine.
func badText(data []byte) (int, string) {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, "the file is not valid UTF-8 text."
		case r == '\n':
			line++
		case r == '\t', r == '\r', r >= 0x20 && r <= 0x7E, r == 0x85, r >= 0xA0 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		default:
			return line, fmt.Sprintf("the file contains the control character %U, which YAML does not allow.", r)
		}
		data = data[size:]
	}
	return 0, ""
}

// campaign reads the root mapping.
func (p *parser) campaign(root *yaml.Node) *milepost.Campaign {
	c := &milepost.Campaign{Rewards: map[milepost.CheckinType]milepost.CampaignReward{}}
	f := p.fields(root, "", rootKeys, "key")
	for _, key := range []string{"partner", "campaign"} {
		if _, ok := f[key]; !ok {
			p.add(root.Line, key, "%s is required.", key)
		}
	}
	if e, ok := f["partner"]; ok {
		c.PartnerID, _ = p.str(e.value, "partner")
	}
	if e, ok := f["campaign"]; ok {
		c.Name, _ = p.str(e.value, "campaign")
	}
	if e, ok := f["rewards"]; ok {
		p.rewards(c, e.value)
	}
	if e, ok := f["products"]; ok {
		items, _ := p.list(e.value, "products")
		for i, item := range items {
			at := "products[" + strconv.Itoa(i) + "]"
			p.lines[at] = item.Line
			c.Products = append(c.Products, p.product(item, at))
		}
	}
	return c
}

// rewards reads the rewards mapping into c.Rewards.
func (p *parser) rewards(c *milepost.Campaign, n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.typeErr(n, "rewards", "a mapping of reward types ("+strings.Join(rewardKeys, ", ")+")")
		return
	}
	f := p.fields(n, "rewards", rewardKeys, "reward type")
	for _, key := range rewardKeys {
		e, ok := f[key]
		if !ok {
			continue
		}
		at := "rewards." + key
		if e.value.Kind != yaml.MappingNode {
			p.typeErr(e.value, at, "a mapping like {amount: 2.00, cadenceDays: 30}")
			continue
		}
		tf := p.fields(e.value, at, termKeys, "key")
		var r milepost.CampaignReward
		if v, ok := tf["amount"]; ok {
			r.AmountCents, _ = p.cents(v.value, at+".amount")
		} else {
			p.add(e.key.Line, at+".amount", "amount is required: the dollars each confirmed check-in earns, like 2.00.")
		}
		if v, ok := tf["cadenceDays"]; ok {
			r.CadenceDays, _ = p.days(v.value, at+".cadenceDays")
		} else {
			p.add(e.key.Line, at+".cadenceDays", "cadenceDays is required: the days between two check-ins of this type, like 30.")
		}
		if v, ok := tf["photoBonus"]; ok {
			r.PhotoBonusCents, _ = p.cents(v.value, at+".photoBonus")
		}
		c.Rewards[rewardTypes[key]] = r
	}
}

// product reads one item of the products list; a malformed item still yields a Product so the
// indexes of the list and of c.Products agree.
func (p *parser) product(n *yaml.Node, at string) milepost.Product {
	var pr milepost.Product
	if n.Kind != yaml.MappingNode {
		p.typeErr(n, at, "a mapping like {id: amazon-us, name: ..., category: merchant_cards}")
		return pr
	}
	f := p.fields(n, at, productKeys, "key")
	for _, s := range []struct {
		key string
		dst *string
	}{{"id", &pr.ID}, {"name", &pr.Name}, {"category", &pr.Category}, {"description", &pr.Description}, {"disclosure", &pr.Disclosure}} {
		if e, ok := f[s.key]; ok {
			*s.dst, _ = p.str(e.value, at+"."+s.key)
		}
	}
	if e, ok := f["currencyCodes"]; ok {
		pr.CurrencyCodes = p.strList(e.value, at+".currencyCodes")
	}
	if e, ok := f["countries"]; ok {
		pr.Countries = p.strList(e.value, at+".countries")
	}
	if e, ok := f["images"]; ok {
		items, _ := p.list(e.value, at+".images")
		for j, item := range items {
			ip := at + ".images[" + strconv.Itoa(j) + "]"
			p.lines[ip] = item.Line
			pr.Images = append(pr.Images, p.image(item, ip))
		}
	}
	return pr
}

// image reads one product image.
func (p *parser) image(n *yaml.Node, at string) milepost.ProductImage {
	var img milepost.ProductImage
	if n.Kind != yaml.MappingNode {
		p.typeErr(n, at, "a mapping like {src: https://..., type: logo}")
		return img
	}
	f := p.fields(n, at, imageKeys, "key")
	if e, ok := f["src"]; ok {
		var ok bool
		if img.Src, ok = p.str(e.value, at+".src"); ok && !strings.HasPrefix(img.Src, "https://") && !strings.HasPrefix(img.Src, "http://") {
			p.add(e.value.Line, at+".src", "src must be an http(s) URL.")
		}
	} else {
		p.add(n.Line, at+".src", "src is required: the http(s) URL of the image.")
	}
	if e, ok := f["type"]; ok {
		img.Type, _ = p.str(e.value, at+".type")
	}
	return img
}

// entry is a key and its value in a mapping.
type entry struct{ key, value *yaml.Node }

// fields reads a mapping's keys, reporting keys that are not plain names, unknown (with the
// allowed ones) or repeated. It records the line of each known key's path.
func (p *parser) fields(n *yaml.Node, path string, allowed []string, what string) map[string]entry {
	out := map[string]entry{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.add(k.Line, path, "keys must be plain names, not %s.", describe(k))
			continue
		}
		at := join(path, k.Value)
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if s := suggest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", s)
			}
			p.add(k.Line, at, "unknown %s %q%s; allowed: %s.", what, k.Value, hint, strings.Join(allowed, ", "))
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.add(k.Line, at, "%s is given twice (first at line %d).", k.Value, prev.key.Line)
			continue
		}
		out[k.Value] = entry{k, v}
		p.lines[at] = k.Line
	}
	return out
}

// str reads a text value. Numbers and dates are taken as their text; an empty value is "".
func (p *parser) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.Tag {
		case tagStr, tagInt, tagFloat, tagTimestamp:
			return n.Value, true
		case tagNull:
			return "", true
		}
	}
	p.typeErr(n, path, "text")
	return "", false
}

// strList reads a list of text values.
func (p *parser) strList(n *yaml.Node, path string) []string {
	items, ok := p.list(n, path)
	if !ok || len(items) == 0 {
		return nil
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		at := path + "[" + strconv.Itoa(i) + "]"
		p.lines[at] = item.Line
		s, _ := p.str(item, at)
		out = append(out, s)
	}
	return out
}

// list reads a sequence; an empty value is an empty list.
func (p *parser) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	switch {
	case n.Kind == yaml.SequenceNode:
		return n.Content, true
	case isNull(n):
		return nil, true
	}
	p.typeErr(n, path, "a list")
	return nil, false
}

var (
	decimal  = regexp.MustCompile(`^([0-9]*)(?:\.([0-9]*))?$`)
	wholeNum = regexp.MustCompile(`^-?[0-9]+$`)
)

// cents reads an amount of dollars into exact cents from the value's text (never through a
// float): "2.00" is 200, "0.5" is 50; more than 2 decimals or a negative amount is a problem.
func (p *parser) cents(n *yaml.Node, path string) (int64, bool) {
	name := last(path)
	if n.Kind != yaml.ScalarNode || (n.Tag != tagInt && n.Tag != tagFloat) {
		if isNull(n) {
			p.add(n.Line, path, "%s is empty; write a number of dollars like 2.50.", name)
		} else {
			p.typeErr(n, path, "a number of dollars like 2.50")
		}
		return 0, false
	}
	text := n.Value
	if strings.HasPrefix(text, "-") {
		p.add(n.Line, path, "%s must not be negative.", name)
		return 0, false
	}
	m := decimal.FindStringSubmatch(text)
	if m == nil || m[1]+m[2] == "" {
		p.add(n.Line, path, "%s must be a plain number of dollars like 2.50, not %s.", name, text)
		return 0, false
	}
	if len(m[2]) > 2 {
		p.add(n.Line, path, "%s must have at most 2 decimals (whole cents), not %s.", name, text)
		return 0, false
	}
	whole := strings.TrimLeft(m[1], "0")
	if len(whole) > 12 {
		p.add(n.Line, path, "%s is too large.", name)
		return 0, false
	}
	digits := whole + m[2] + strings.Repeat("0", 2-len(m[2]))
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		p.add(n.Line, path, "%s must be a plain number of dollars like 2.50, not %s.", name, text)
		return 0, false
	}
	return v, true
}

// days reads a whole number of days.
func (p *parser) days(n *yaml.Node, path string) (int, bool) {
	name := last(path)
	switch {
	case isNull(n):
		p.add(n.Line, path, "%s is empty; write a whole number of days like 30.", name)
		return 0, false
	case n.Kind != yaml.ScalarNode || (n.Tag != tagInt && n.Tag != tagFloat):
		p.typeErr(n, path, "a whole number of days like 30")
		return 0, false
	case !wholeNum.MatchString(n.Value):
		p.add(n.Line, path, "%s must be a whole number of days like 30, not %s.", name, n.Value)
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < -1_000_000 || v > 1_000_000 {
		p.add(n.Line, path, "%s must be between 0 and %d.", name, milepost.MaxCampaignCadence)
		return 0, false
	}
	return v, true
}

// typeErr reports a value of the wrong kind.
func (p *parser) typeErr(n *yaml.Node, path, want string) {
	if n.Kind == yaml.AliasNode {
		p.add(n.Line, path, "aliases (*%s) are not supported; write the value out.", n.Value)
		return
	}
	p.add(n.Line, path, "%s must be %s, not %s.", last(path), want, describe(n))
}

// domain adds the campaign's own problems (milepost.Campaign.Problems) at the lines of their
// paths, leaving out those about a field the parser already reported.
func (p *parser) domain(c *milepost.Campaign) {
	reported := make([]string, 0, len(p.problems))
	for _, pr := range p.problems {
		if pr.Path != "" {
			reported = append(reported, pr.Path)
		}
	}
	for _, cp := range c.Problems() {
		if slices.ContainsFunc(reported, func(r string) bool { return related(r, cp.Path) }) {
			continue
		}
		p.add(p.lineOf(cp.Path), cp.Path, "%s", cp.Message)
	}
}

// lineOf is the line of path, or of its nearest parent the file has.
func (p *parser) lineOf(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		path = parent(path)
	}
	return p.rootLine
}
