# The launcher's client for stasis's background JVM (cli/.../daemon/DaemonCommand.java):
# sends one command over the JVM's UNIX socket, relays its stdout and stderr, exits
# with its exit code. Perl without modules, because Debian always has it and it
# starts in about 2 ms; a client JVM would cost 40-70 ms, the time being saved.
#
#   perl stasis-client.pl SOCKET ARGS...
#
# Exit 222: no background JVM answered; 223: it is busy; 224: it declined the command
# (one it does not serve, or one that reads standard input). Nothing was printed, and
# the launcher runs the command in a JVM of its own.
use strict;
use warnings;

my $path = shift @ARGV;
# AF_UNIX and SOCK_STREAM are 1 on Linux; struct sockaddr_un is the family then the path
socket(my $s, 1, 1, 0) or exit 222;
connect($s, pack('S', 1) . $path . "\0") or exit 222;
binmode $s;
binmode STDOUT;
binmode STDERR;

# the request: magic "STSD", version 1, whether a person sits at a terminal, the arguments
my $interactive = (-t STDIN && -t STDOUT) ? 1 : 0;
my $request = pack('N N C N', 0x53545344, 1, $interactive, scalar @ARGV);
$request .= pack('N/a*', $_) for @ARGV;
write_all($s, $request) or exit 222;

# the answer: frames of a type byte and a 32-bit big-endian length (the exit code for type 3),
# the first of them (type 5) as soon as the request is read. A JVM that does not send it
# within seconds is stuck: the command runs elsewhere rather than wait on it forever.
my $relayed = 0;
$SIG{ALRM} = sub { exit 222 };
alarm 5;
my $first = read_exactly(5);
alarm 0;
exit 224 unless defined $first && unpack('C', $first) == 5;
while (1) {
    my $head = read_exactly(5);
    lost() unless defined $head;
    my ($type, $len) = unpack('C N', $head);
    if ($type == 3) { exit $len }
    if ($type == 4) { exit 223 }
    lost() unless ($type == 1 || $type == 2) && $len <= (1 << 20);
    my $data = read_exactly($len);
    lost() unless defined $data;
    write_all($type == 1 ? \*STDOUT : \*STDERR, $data);
    $relayed = 1;
}

sub read_exactly {
    my ($want) = @_;
    my $buf = '';
    while (length($buf) < $want) {
        my $n = sysread($s, $buf, $want - length($buf), length($buf));
        return undef unless $n;
    }
    return $buf;
}

sub write_all {
    my ($fh, $data) = @_;
    my $off = 0;
    while ($off < length($data)) {
        my $n = syswrite($fh, $data, length($data) - $off, $off);
        return 0 unless defined $n;
        $off += $n;
    }
    return 1;
}

# The JVM went away mid-answer (or never answered). Before any output, the command can still
# be run elsewhere; after, the user must know the output is incomplete.
sub lost {
    exit 224 unless $relayed;
    print STDERR "stasis: the background JVM stopped during the command; run it again with STASIS_DAEMON=0\n";
    exit 1;
}
