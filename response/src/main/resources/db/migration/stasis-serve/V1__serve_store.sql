-- The shared store of `stasis serve` replicas (store.postgres in stasis.yaml):
-- what the single-replica journal keeps in its file, in tables every replica sees.

-- Every accepted alert, committed before its 202. An alert that acts is
-- 'pending' until its actions finish; the replica working on it holds a lease
-- (owner, lease_until) that it renews while alive. A lease that runs out (its
-- replica died) is taken over by another replica, which resumes the alert
-- from its first unrecorded step.
CREATE TABLE serve_alert (
    id            uuid PRIMARY KEY,
    received_at   bigint      NOT NULL,               -- epoch ms, the accepting replica's clock
    target_key    text        NOT NULL,               -- the container's cool-down key
    rule          text,                               -- the policy rule that matched, or null
    deduplicated  boolean     NOT NULL,               -- matched, but the container was in its cool-down
    acts          boolean     NOT NULL,               -- actions run for it
    alert         text        NOT NULL,               -- the alert as received (JSON)
    accepted_by   text        NOT NULL,               -- the replica that answered 202
    state         text        NOT NULL CHECK (state IN ('pending', 'done')),
    owner         text,                               -- the replica running its actions
    lease_until   timestamptz,
    claims        integer     NOT NULL DEFAULT 1,     -- 1 + how many times another replica took it over
    outcome       text,                               -- ok | partial | failed | dropped, once done
    detail        text,
    finished_at   bigint,
    finished_by   text
);
CREATE INDEX serve_alert_pending ON serve_alert (lease_until) WHERE state = 'pending';

-- One row per container in (or past) its cool-down: the alert that won it.
-- Taken with INSERT ... ON CONFLICT DO UPDATE ... WHERE cool_until <= now, so
-- two replicas deciding about one container at once serialize on its row and
-- exactly one of them acts.
CREATE TABLE serve_cooldown (
    target_key  text   PRIMARY KEY,
    acted_at    bigint NOT NULL,
    cool_until  bigint NOT NULL,
    alert_id    uuid   NOT NULL
);

-- A finished step (its outcome and result), at most one per alert and step.
CREATE TABLE serve_step (
    alert_id  uuid    NOT NULL REFERENCES serve_alert (id) ON DELETE CASCADE,
    i         integer NOT NULL,
    action    text    NOT NULL,
    outcome   text    NOT NULL,
    detail    text,
    result    text,
    at        bigint  NOT NULL,
    by        text    NOT NULL,
    PRIMARY KEY (alert_id, i)
);

-- A checkpoint about to start, committed before it does: the replica that
-- resumes the alert asks the backend for what that attempt left.
CREATE TABLE serve_attempt (
    alert_id  uuid    NOT NULL REFERENCES serve_alert (id) ON DELETE CASCADE,
    i         integer NOT NULL,
    attempt   integer NOT NULL,
    at        bigint  NOT NULL,
    by        text    NOT NULL,
    PRIMARY KEY (alert_id, i, attempt, by)
);

-- Each running replica's heartbeat: the lease on every alert it owns. A
-- replica's name is new at each start, so a restarted replica does not
-- inherit its predecessor's alerts by name; it (or another) takes them over
-- once this row says the predecessor is gone.
CREATE TABLE serve_replica (
    name         text        PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    alive_until  timestamptz NOT NULL
);
