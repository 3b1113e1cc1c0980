"""Bundled defaults: the AQuA framework, the Chorley 3x3 risk matrix and the demo dataset.

``aqua.json`` and ``matrix.json`` copy seed 001 (the self-assessment form and the risk
register) verbatim, the seed's own wording and typos included. ``demo.json`` is the Chorley
partnership as at 16 February 2016, the Executive meeting of seed 001.

Choices the seeds leave open:

- Phases. Seed 001 Appendix A gives Phase 1 (Mar-May 2016), Phase 2 (Jun-Aug) and Phase 3
  (Sep-Nov). Two more keep every tracked item on the board without overlapping phases:
  "Foundation" (2015-09-01 to 2016-02-29: from the outline business case of seed 002 and the
  start of the TCA programme to the February Executive, holding the work the minutes report
  done or under way) and "Year Two" (2016-12-01 to 2017-11-30, after the November 2016
  Executive that receives proposals on seed 003's recommendations).
- Seed 002's five business-case workstreams (three Year One, two "overarching 3 years") form
  one theme of kind "business case" with its leads and objectives; its dated activities are
  the business-case action point, the locality groundwork and the Leadership workstream's
  self-assessment and six-month re-assessment. The three-year span is not a phase of its own.
- Seed 003's five recommendations are a theme of kind "recommendation" and five Year Two
  activities; the Implementation Group's November proposals are a Phase 3 activity.
- The assessment round "Baseline, Feb 2016" is dated 2016-02-16 and left open: seed 000
  asks the remaining Executive members to complete it. Its ten responses are named by role
  and give seed 000's per-group means exactly.
- Risk dates read "August 15" as 2015-08-01 and "May 2016" as 2016-05-01. R8's "January 15"
  is read as January 2016: the minutes of 19 January 2016 record the risk being raised then.
  Risk owners are roles, not personal names. Each risk has the register update of
  5 February 2016 as a review; R3 and R7 also have a 19 January review at Medium likelihood,
  before the TCA funding was confirmed.
"""
