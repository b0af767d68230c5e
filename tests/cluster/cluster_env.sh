# shellcheck shell=bash
# cluster_env.sh - sourced (not run) by the tests/cluster scripts: the names and addresses of the
# netns cluster, each an environment variable with a default. Nothing here has side effects.
#
#   RC_NODE_PREFIX  host / network-namespace name prefix: hosts are node1..nodeN      (node)
#   RC_BRIDGE       bridge in the root namespace that joins the hosts                  (rcbr0)
#   RC_VETH_PREFIX  root-side veth name prefix: rcveth<K> pairs with eth0 in node<K>   (rcveth)
#   RC_NET          first three octets of the /24 subnet; host K is .K, bridge .254    (10.77.0)
#   RC_RUN_DIR      runtime state: node list, hostfile, daemon pidfiles                (/run/railcheck-cluster)
#
# Only loopback and 10.77.0.0/24 inside this machine are ever used: the namespaces get no default route.
: "${RC_NODE_PREFIX:=node}"
: "${RC_BRIDGE:=rcbr0}"
: "${RC_VETH_PREFIX:=rcveth}"
: "${RC_NET:=10.77.0}"
: "${RC_RUN_DIR:=/run/railcheck-cluster}"
export RC_NODE_PREFIX RC_BRIDGE RC_VETH_PREFIX RC_NET RC_RUN_DIR
