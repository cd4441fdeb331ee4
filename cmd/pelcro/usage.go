package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// limitTakes is what every --limit takes: the admin API's rule, in its words, so the two tools on the same
// operator package refuse the same pages alike.
var limitTakes = rangeTakes{min: 1, max: transport.MaxAdminLimit, want: i18n.Localize(i18n.Fallback, i18n.AdminLimitInvalid)}

// rangeTakes is the range of whole numbers a numeric flag takes, and how its message says so.
type rangeTakes struct {
	min, max int64
	want     string
}

// rangeValue is a numeric flag that refuses, while the command line is parsed, anything but a whole number
// in its range: a command then never runs with a limit it would panic on or silently reinterpret, and the
// message names the flag and what it takes (flagError) instead of strconv's words.
type rangeValue[T int | int64 | uint64] struct {
	value *T
	takes rangeTakes
}

// errOutOfRange marks a rangeValue's refusal, so flagError words it with what the flag takes.
type errOutOfRange struct{ want string }

func (e errOutOfRange) Error() string { return e.want }

func (v rangeValue[T]) String() string { return strconv.FormatInt(int64(*v.value), 10) }

// Type names the value in --help: "--limit int".
func (v rangeValue[T]) Type() string { return "int" }

func (v rangeValue[T]) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < v.takes.min || n > v.takes.max {
		return errOutOfRange{want: v.takes.want}
	}
	*v.value = T(n)
	return nil
}

// rangeVar defines a flag of a whole number in takes' range, with its default.
func rangeVar[T int | int64 | uint64](flags *pflag.FlagSet, p *T, name string, value T, takes rangeTakes, usage string) {
	*p = value
	flags.Var(rangeValue[T]{value: p, takes: takes}, name, usage)
}

// positiveID is what an id flag (--site, --account) takes.
func positiveID(what string) rangeTakes {
	return rangeTakes{min: 1, max: math.MaxInt64, want: "want " + what + " id: a whole number, 1 or more"}
}

// flagError words a flag the command line got wrong in plain terms, naming the flag and what it takes:
// pflag's own message quotes strconv or time ("strconv.ParseInt: parsing …"). Every command inherits it
// from the root.
func flagError(_ *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	if !errors.As(err, &invalid) {
		return err
	}
	flag := invalid.GetFlag()
	var outOfRange errOutOfRange
	if errors.As(invalid, &outOfRange) {
		return fmt.Errorf("--%s %q: %s", flag.Name, invalid.GetValue(), outOfRange.want)
	}
	kind, _ := pflag.UnquoteUsage(flag)
	if kind == "" {
		kind = "value"
	}
	return fmt.Errorf("--%s %q: not a valid %s (see --help)", flag.Name, invalid.GetValue(), kind)
}

// refuseUnknownSubcommands makes every group command below the root (projections, events, customers…)
// refuse an argument that names none of its commands, with "unknown command" and a non-zero exit, as the
// root does: cobra prints a group's help and succeeds instead (spf13/cobra#1156), so a script's typo
// passed for success. A group called alone still prints its help and succeeds.
func refuseUnknownSubcommands(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			if sub.HasSubCommands() && !sub.Runnable() {
				sub.Args = cobra.NoArgs
				sub.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
			}
			walk(sub)
		}
	}
	walk(root)
}
