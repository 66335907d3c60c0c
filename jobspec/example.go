package jobspec

// Example is the job file "drover job init" writes (example.hcl): one
// raw_exec task that prints a greeting and then the date every five seconds.
// It must always parse; a test checks that it does.
const Example = `# A service job runs until it is stopped. Submit it with
#   drover job run example.hcl
job "example" {
  # "service" keeps the tasks running; "batch" runs them to completion.
  type = "service"

  # Run in any datacenter.
  datacenters = ["*"]

  # A group is a set of tasks placed together on one node.
  group "app" {
    # How many copies of the group to run.
    count = 1

    # A task is one process, started by a driver.
    task "hello" {
      # raw_exec runs the command directly on the node, without isolation.
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args = [
          "-c",
          "echo \"hello from $NOMAD_TASK_NAME on $(hostname)\"; while true; do date; sleep 5; done",
        ]
      }

      # What the task needs: CPU in MHz, memory in MB.
      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
`
