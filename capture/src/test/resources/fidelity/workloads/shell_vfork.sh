#!/bin/sh
# Pipes, dup2 redirections, rename/unlink, chmod, several forked children and failing setuid calls.
while [ ! -e "$1" ]; do sleep 0.05; done
d=/tmp/h-b/shwork
mkdir -p $d
echo "alpha beta gamma" > $d/a.txt
cat $d/a.txt | tr a-z A-Z | sort > $d/b.txt 2>/dev/null
mv $d/b.txt $d/c.txt
chmod 600 $d/c.txt
ln -s $d/c.txt $d/link
rm -f $d/link $d/a.txt
exec 3>$d/fd3.txt
echo via-fd3 >&3
exec 3>&-
# as nobody, a second setpriv asks for root's ids back: setgroups/setresgid/setresuid fail with EPERM
setpriv --reuid=65534 --regid=65534 --clear-groups setpriv --reuid=0 --regid=0 --clear-groups /bin/true 2>/dev/null
setpriv --reuid=65534 --regid=65534 --clear-groups cat /etc/shadow 2>/dev/null
head -c 20 /etc/passwd | wc -c
rm -rf $d
