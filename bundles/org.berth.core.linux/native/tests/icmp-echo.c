/*
 * icmp-echo.c: one ICMP echo to 127.0.0.1 through a datagram ICMP socket, the way `ping` works for users other than
 * root where net.ipv4.ping_group_range lets their group (UnprivilegedContainerTest runs it as a user inside a
 * container). Prints "echo reply" and exits 0, or the failing call and its error, exit 1.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (s < 0) {
        perror("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)");
        return 1;
    }
    struct timeval tv = {5, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in to = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    struct icmphdr echo = {.type = ICMP_ECHO};
    echo.un.echo.sequence = htons(1);
    if (sendto(s, &echo, sizeof echo, 0, (struct sockaddr *)&to, sizeof to) < 0) {
        perror("sendto");
        return 1;
    }
    struct icmphdr reply;
    if (recv(s, &reply, sizeof reply, 0) < (ssize_t)sizeof reply || reply.type != ICMP_ECHOREPLY) {
        perror("recv");
        return 1;
    }
    puts("echo reply");
    return 0;
}
