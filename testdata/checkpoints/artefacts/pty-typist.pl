#!/usr/bin/perl
# Runs a program (ARGV) on a pseudo-terminal and types a fixed list of lines into it: the lines of the
# file named by $TYPIST_LINES when set (perl-debugger.typed), else the same lines as python-repl.typed
# next to this script (the ground truth). Perl core only: the image
# has no pty helper; the pty is opened by hand through /dev/ptmx and its ioctls.
use strict; use warnings; use POSIX qw(setsid);
my @lines = (
  "import os, socket",
  "token = open('/etc/hostname').read().strip()",
  "total = sum(range(10))",
  "print('total', total)",
  "s = socket.socket()",
  "os.getpid()",
);
if ($ENV{TYPIST_LINES}) {
  open(my $f, "<", $ENV{TYPIST_LINES}) or die "$ENV{TYPIST_LINES}: $!";
  chomp(@lines = <$f>);
}
# open a pty pair by hand: posix_openpt via /dev/ptmx, grantpt/unlockpt via ioctls
open(my $m, "+<", "/dev/ptmx") or die "ptmx: $!";
my $buf = pack("i", 0);
ioctl($m, 0x40045431, $buf) or die "TIOCSPTLCK: $!";          # unlockpt
my $n = pack("i", 0);
ioctl($m, 0x80045430, $n) or die "TIOCGPTN: $!";
my $slave = "/dev/pts/" . unpack("i", $n);
my $pid = fork // die;
if ($pid == 0) {
  setsid();
  close $m;
  open(my $s, "+<", $slave) or die "$slave: $!";
  open(STDIN, "<&", $s); open(STDOUT, ">&", $s); open(STDERR, ">&", $s);
  exec @ARGV or die "exec: $!";
}
$| = 1;
my $rin = ''; vec($rin, fileno($m), 1) = 1;
sub drain { my $t = shift; while (select(my $r = $rin, undef, undef, $t) > 0) { sysread($m, my $d, 65536) or last; print $d; $t = 0.2 } }
drain(2);
for my $l (@lines) { syswrite($m, "$l\r"); drain(0.5); }
print "\ndone\n";
while (1) { drain(60) }
