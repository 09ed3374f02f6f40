package dev.stasis.analysis.detect;

import java.util.List;

/** The detectors every analysis runs, in the order their findings are most useful to read. */
public final class BuiltinDetectors {
    private BuiltinDetectors() {}

    public static List<Detector> all() {
        return List.of(new ReverseShellDetector(), new FilelessDetector(), new MasqueradeDetector(), new IrcC2Detector(),
                new MiningDetector(), new NetworkDetector(), new IntelContentDetector(), new CredentialAccessDetector(),
                new PreloadDetector(), new ProcessOriginDetector(), new RootfsDetector(), new MountDetector(),
                new PrivilegeDetector(), new SecretEnvDetector(), new MemoryArtefactsDetector());
    }
}
