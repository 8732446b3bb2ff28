//go:build !race

package codebook

// slowdown stretches time limits under the race detector.
const slowdown = 1
