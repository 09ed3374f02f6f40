# The benchmark's workload: ~1.1 GiB of varied data (a random 1 MiB block
# XORed with a per-chunk key, so no two chunks are alike) and known markers,
# one of them placed so that it straddles a page boundary. Then it sleeps
# until checkpointed.
use strict;
my $MiB = 1 << 20;
srand(42);
my $base = pack('L*', map { int(rand(4294967296)) } 1 .. ($MiB / 4));
my @chunks;
for my $i (0 .. 1099) {
    push @chunks, $base ^ (pack('N', ($i * 2654435761) & 0xffffffff) x ($MiB / 4));
    if ($i == 123) { substr($chunks[-1], 777777, 26) = 'STASIS-MARKER-ALPHA-123456'; }
    if ($i == 1000) { substr($chunks[-1], 4242, 25) = 'STASIS-MARKER-OMEGA-99999'; }
    if ($i == 555) {
        # the string's own address tells where its pages begin: start 10 bytes before a page boundary
        my $addr = unpack('J', pack('p', $chunks[-1]));
        my $off = (4096 - $addr % 4096) + 4096 * 7 - 10;
        substr($chunks[-1], $off, 28) = 'STASIS-MARKER-BOUNDARY-424242';
    }
}
$0 = 'memfill';
$| = 1;
print "ready\n";
sleep 100000 while 1;
