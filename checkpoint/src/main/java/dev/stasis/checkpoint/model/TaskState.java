package dev.stasis.checkpoint.model;

/**
 * CRIU's task states (compel/include/uapi/task-state.h: ALIVE=1, DEAD=2, STOPPED=3, ZOMBIE=6).
 * CRIU dumps an unreaped zombie with state DEAD (cr-dump.c, dump_one_zombie), so in images DEAD
 * means "zombie"; {@link #isZombie()} says so.
 */
public enum TaskState {
    ALIVE(1), DEAD(2), STOPPED(3), HELPER(4), THREAD(5), ZOMBIE(6), UNKNOWN(0);

    private final int code;

    TaskState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TaskState of(int code) {
        for (TaskState s : values()) if (s.code == code && s != UNKNOWN) return s;
        return UNKNOWN;
    }

    /** A task that has exited but was not reaped (DEAD in images, ZOMBIE in compel's terms). */
    public boolean isZombie() {
        return this == DEAD || this == ZOMBIE;
    }

    /** Lower-case name as checkpointctl prints {@code task_state} ("Alive", ...). */
    public String display() {
        String n = name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
