// Package scenariotest is the scaffolding that tests of scenarios share,
// written once: MustParse, Lines, Minimal, and the fixture's GET /text as a
// scenario (TextScenario) and as the bytes that pass it (TextAnswer).
//
// The tests of conformance/scenario, conformance, conformance/report and
// conformance/conformancetest use it. Only tests import it, so the
// europi-http binary never links it (nor the testing package it imports).
package scenariotest
