package codebook

import (
	"errors"
	"fmt"

	"github.com/synth-qda/synth/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// The shape of codebook.yaml as decoded by strictyaml. Scalars that may need
// to be pointed at in a message are text values that keep their position.

type fileYAML struct {
	Version text           `yaml:"version"`
	Levels  []text         `yaml:"levels"`
	Codes   []codeYAML     `yaml:"codes"`
	Themes  []themeYAML    `yaml:"themes"`
	At      strictyaml.Pos `yaml:"-"`
}

type codeYAML struct {
	Name       text           `yaml:"name"`
	Definition string         `yaml:"definition"`
	Aliases    []text         `yaml:"aliases"`
	GUID       text           `yaml:"guid"`
	Color      text           `yaml:"color"`
	At         strictyaml.Pos `yaml:"-"`
}

type themeYAML struct {
	Name  text `yaml:"name"`
	ID    text `yaml:"id"`
	Ref   text `yaml:"ref"`
	GUID  text `yaml:"guid"`
	Color text `yaml:"color"`
	// Description is what the theme is about, as a REFI-QDA code's
	// description; Finding is the review finding it supports.
	Description string         `yaml:"description"`
	Finding     string         `yaml:"finding"`
	CERQual     *cerqualYAML   `yaml:"cerqual"`
	Quotes      []text         `yaml:"quotes"`
	Codes       []text         `yaml:"codes"`
	Themes      []themeYAML    `yaml:"themes"`
	At          strictyaml.Pos `yaml:"-"`
}

type cerqualYAML struct {
	MethodologicalLimitations *componentYAML `yaml:"methodological_limitations"`
	Coherence                 *componentYAML `yaml:"coherence"`
	Adequacy                  *componentYAML `yaml:"adequacy"`
	Relevance                 *componentYAML `yaml:"relevance"`
	Confidence                text           `yaml:"confidence"`
	Explanation               string         `yaml:"explanation"`
	At                        strictyaml.Pos `yaml:"-"`
}

type componentYAML struct {
	Concern     text           `yaml:"concern"`
	Explanation string         `yaml:"explanation"`
	At          strictyaml.Pos `yaml:"-"`
}

// text is a scalar with its place in the file. Set reports whether the key
// was given a non-null value.
type text struct {
	Value     string
	Line, Col int
}

func (t text) Set() bool { return t.Line > 0 }

// UnmarshalYAML implements yaml.Unmarshaler; strictyaml calls it for every
// non-null scalar and adds the position to the error it returns.
func (t *text) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		return errors.New("expected text, found a mapping")
	case yaml.SequenceNode:
		return errors.New("expected text, found a list")
	case yaml.ScalarNode:
	default:
		return fmt.Errorf("expected text")
	}
	*t = text{Value: n.Value, Line: n.Line, Col: n.Column}
	return nil
}
