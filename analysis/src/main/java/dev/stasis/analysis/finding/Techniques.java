package dev.stasis.analysis.finding;

import java.util.Map;

/**
 * Display names of the MITRE ATT&CK techniques stasis refers to, so reports can
 * show "T1036.004 Masquerade Task or Service" rather than a bare number. Ids not
 * listed here are shown as they are.
 */
public final class Techniques {
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("T1027.011", "Obfuscated Files or Information: Fileless Storage"),
            Map.entry("T1027.004", "Compile After Delivery"),
            Map.entry("T1033", "System Owner/User Discovery"),
            Map.entry("T1036.004", "Masquerading: Masquerade Task or Service"),
            Map.entry("T1036.005", "Masquerading: Match Legitimate Name or Location"),
            Map.entry("T1046", "Network Service Discovery"),
            Map.entry("T1053.003", "Scheduled Task/Job: Cron"),
            Map.entry("T1055", "Process Injection"),
            Map.entry("T1059", "Command and Scripting Interpreter"),
            Map.entry("T1059.004", "Command and Scripting Interpreter: Unix Shell"),
            Map.entry("T1059.006", "Command and Scripting Interpreter: Python"),
            Map.entry("T1070.002", "Indicator Removal: Clear Linux or Mac System Logs"),
            Map.entry("T1070.004", "Indicator Removal: File Deletion"),
            Map.entry("T1071", "Application Layer Protocol"),
            Map.entry("T1078.001", "Valid Accounts: Default Accounts"),
            Map.entry("T1082", "System Information Discovery"),
            Map.entry("T1083", "File and Directory Discovery"),
            Map.entry("T1098.004", "Account Manipulation: SSH Authorized Keys"),
            Map.entry("T1105", "Ingress Tool Transfer"),
            Map.entry("T1190", "Exploit Public-Facing Application"),
            Map.entry("T1496", "Resource Hijacking"),
            Map.entry("T1528", "Steal Application Access Token"),
            Map.entry("T1543.002", "Create or Modify System Process: Systemd Service"),
            Map.entry("T1546.004", "Event Triggered Execution: Unix Shell Configuration Modification"),
            Map.entry("T1552", "Unsecured Credentials"),
            Map.entry("T1552.001", "Unsecured Credentials: Credentials In Files"),
            Map.entry("T1552.004", "Unsecured Credentials: Private Keys"),
            Map.entry("T1552.007", "Unsecured Credentials: Container API"),
            Map.entry("T1564.001", "Hide Artifacts: Hidden Files and Directories"),
            Map.entry("T1571", "Non-Standard Port"),
            Map.entry("T1574.006", "Hijack Execution Flow: Dynamic Linker Hijacking"),
            Map.entry("T1610", "Deploy Container"),
            Map.entry("T1611", "Escape to Host"),
            Map.entry("T1620", "Reflective Code Loading"));

    private Techniques() {}

    /** The technique's name, or null when stasis does not know it. */
    public static String name(String id) {
        return NAMES.get(id);
    }

    /** "T1036.004 Masquerading: ..." or the bare id. */
    public static String label(String id) {
        String n = NAMES.get(id);
        return n == null ? id : id + " " + n;
    }

    /** The ATT&CK page for a technique id (sub-techniques use a slash). */
    public static String url(String id) {
        return "https://attack.mitre.org/techniques/" + id.replace('.', '/') + "/";
    }
}
