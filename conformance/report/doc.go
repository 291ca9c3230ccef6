// Package report writes the results of conformance runs: a text line per
// scenario with the details of every failure (TextReport), a JSON document
// (WriteJSON), JUnit XML for CI (WriteJUnit), and a matrix of scenarios ×
// targets (WriteMatrix). Each takes conformance.Result values; none runs
// anything.
package report
