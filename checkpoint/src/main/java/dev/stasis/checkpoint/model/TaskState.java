package dev.stasis.checkpoint.model;

/** CRIU's task states (criu/include/pstree.h / images/core.proto: TASK_ALIVE=1, DEAD=2, STOPPED=3, ZOMBIE=6). */
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

    /** Lower-case name as checkpointctl prints {@code task_state} ("Alive", ...). */
    public String display() {
        String n = name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
