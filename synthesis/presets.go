package synthesis

// Presets are the tool exports synth knows (filled in from each tool's documentation).
var Presets = []Preset{}
