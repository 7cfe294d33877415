#!/bin/sh
# Tomcat 10.1 settings for Sluice (copy to $CATALINA_BASE/bin/setenv.sh).
# Sluice reads each setting from a system property or an environment variable of the same name.

# Management API token: without it, anyone who reaches the port can register streams.
# export API_TOKEN=change-me

# URL players are given in playlists when Sluice sits behind a reverse proxy.
# export PUBLIC_BASE_URL=https://tv.example.org

# Several instances, or restarts that keep every stream and webhook: keep them in Redis.
# export STORE=redis
# export REDIS_URL=redis://:password@redis.internal:6379/0
# export SEGMENT_SIGNING_KEY=same-value-on-every-instance

# Live relay memory: one ring of RELAY_BUFFER_BYTES per live stream with players (default 2 MiB).
# export RELAY_BUFFER_BYTES=2097152

# Long-lived streams: the relay is asynchronous, so a modest thread pool serves hundreds of players;
# set maxThreads/maxConnections on the Connector in server.xml, e.g.
#   <Connector port="8085" protocol="HTTP/1.1" maxThreads="50" maxConnections="10000"
#              connectionTimeout="20000" keepAliveTimeout="15000" />
CATALINA_OPTS="$CATALINA_OPTS -Xms256m -Xmx1g"
export CATALINA_OPTS
