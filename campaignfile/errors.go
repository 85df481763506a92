package campaignfile

import (
	"strconv"
	"strings"
)

// Problem is one fault of a campaign file: the line it is on, the path of the field at fault
// (rewards.mileage.amount, products[2].category; empty for the file as a whole) and a message
// written for the person editing the file.
type Problem struct {
	Line    int // 1-based; 0 when the YAML decoder gave no line
	Path    string
	Message string
}

// String formats the problem as "line 7: rewards.mileage.amount: message", leaving out the
// line when it is unknown and the path when it is empty.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Errors is the error Parse returns for a malformed campaign file: every problem found, in line
// order.
type Errors struct {
	Problems []Problem
}

// Error lists the problems, one a line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
