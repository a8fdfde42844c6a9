-- Copies of the cases already generated, to reach a national size faster than `masarat generate`
-- on a small machine. For a benchmark database only: never on one holding real cases.
--
--   psql "$DATABASE_URL" -v copies=19 -f benchmarks/multiply_cases.sql
--   masarat statistics rebuild      # the statistics' facts of the copies
--
-- Copy k of case n gets the key n + k * 10,000,000 and the reference "<reference>-k"; its forms of
-- exploitation and decisions are copied with it. A settled case's copy (decided, closed or
-- anonymous) moves back by a whole number of weeks (0 to 156, drawn from n and k), dates and
-- decisions together, so that the copies spread over the months as new cases would; a case still
-- waiting keeps its dates, so that the queues stay today's. The persons are shared (the
-- statistics never read them) and the timelines and referrals are not copied.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMPORARY TABLE originals ON COMMIT DROP AS SELECT * FROM cases_case WHERE id < 10000000;
CREATE TEMPORARY TABLE copies ON COMMIT DROP AS
SELECT k, o.id AS original, o.id + k * 10000000 AS id,
       CASE WHEN o.status IN ('referred', 'awaiting_preliminary', 'preliminary_information',
                              'preliminary_negative_review', 'formal_negative_review', 'reflection_period',
                              'formal_information') THEN interval '0'
            ELSE make_interval(weeks => ((o.id * 7919 + k * 104729) % 157)::int) END AS shift
FROM originals o, generate_series(1, :copies) k;
INSERT INTO cases_case (id, reference, status, status_before_close, region, sex, is_child, age_at_referral,
    age_band, nationality, encountered_on, referred_at, acknowledged_at, preliminary_decided_at,
    reflection_ends_on, formal_decided_at, closed_at, due_step, due_on, version, updated_at,
    assigned_case_manager_id, assigned_coordinator_id, person_id, referred_by_id, referring_agency_id, waiting_since)
SELECT c.id, o.reference || '-' || c.k, o.status, o.status_before_close, o.region, o.sex, o.is_child,
    o.age_at_referral, o.age_band, o.nationality, (o.encountered_on - c.shift)::date, o.referred_at - c.shift,
    o.acknowledged_at - c.shift, o.preliminary_decided_at - c.shift, (o.reflection_ends_on - c.shift)::date,
    o.formal_decided_at - c.shift, o.closed_at - c.shift, o.due_step, (o.due_on - c.shift)::date, o.version,
    o.updated_at, o.assigned_case_manager_id, o.assigned_coordinator_id, o.person_id, o.referred_by_id,
    o.referring_agency_id, (o.waiting_since - c.shift)::date
FROM copies c JOIN originals o ON o.id = c.original;
INSERT INTO cases_caseexploitation (case_id, form)
SELECT c.id, e.form FROM copies c JOIN cases_caseexploitation e ON e.case_id = c.original;
INSERT INTO cases_decision (case_id, stage, outcome, reasons, decided_at, review_outcome, review_reasons,
    reviewed_at, decided_by_id, reviewed_by_id)
SELECT c.id, d.stage, d.outcome, d.reasons, d.decided_at - c.shift, d.review_outcome, d.review_reasons,
    d.reviewed_at - c.shift, d.decided_by_id, d.reviewed_by_id
FROM copies c JOIN cases_decision d ON d.case_id = c.original;
COMMIT;
ANALYZE cases_case;
ANALYZE cases_caseexploitation;
ANALYZE cases_decision;
