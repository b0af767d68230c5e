# shellcheck shell=bash
# cluster_env.sh - sourced (not run) by the tests/cluster scripts: the names and addresses of the
# netns cluster, each an environment variable with a default. Nothing here has side effects.
#
#   RC_NODE_PREFIX  host / network-namespace name prefix: hosts are node1..nodeN      (node)
#   RC_BRIDGE       bridge in the root namespace that joins the hosts                  (rcbr0)
#   RC_VETH_PREFIX  root-side veth name prefix: rcveth<K> pairs with eth0 in node<K>   (rcveth)
#   RC_NET          first three octets of the /24 subnet; host K is .K, bridge .254    (10.77.0)
#   RC_RUN_DIR      runtime state: node list, hostfile, daemon pidfiles                (/run/railcheck-cluster)
#   RC_FABRIC_PREFIX  fabric_testbed.sh's switch namespaces: <prefix>leafL, <prefix>spineS  (rcf)
#   RC_FABRIC_NET   first two octets of the fabric testbed: host K's link is <net>.K.0/24, the cable
#                   between leaf L and spine S <net>.(100 + 10 L + S).0/24                  (10.78)
#
# Only loopback, 10.77.0.0/24 and (fabric_testbed.sh) 10.78.0.0/16 inside this machine are ever used: the
# namespaces get no default route.
: "${RC_NODE_PREFIX:=node}"
: "${RC_BRIDGE:=rcbr0}"
: "${RC_VETH_PREFIX:=rcveth}"
: "${RC_NET:=10.77.0}"
: "${RC_RUN_DIR:=/run/railcheck-cluster}"
: "${RC_FABRIC_PREFIX:=rcf}"
: "${RC_FABRIC_NET:=10.78}"
export RC_NODE_PREFIX RC_BRIDGE RC_VETH_PREFIX RC_NET RC_RUN_DIR RC_FABRIC_PREFIX RC_FABRIC_NET
