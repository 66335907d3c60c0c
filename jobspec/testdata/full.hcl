# Every supported block and attribute, used by TestParseFull.
job "web-app" {
  name        = "Web App"
  type        = "service"
  priority    = 70
  datacenters = ["dc1", "dc2"]
  node_pool   = "edge"
  region      = "eu"
  namespace   = "prod"
  all_at_once = true

  meta {
    owner   = "team-a"
    version = 3
    canary  = false
  }

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  constraint {
    distinct_hosts = true
  }

  group "frontend" {
    count = 3

    constraint {
      attribute = "${meta.rack}"
      operator  = "!="
      value     = "r1"
    }

    constraint {
      distinct_property = "${meta.rack}"
      value             = "2"
    }

    meta {
      tier = "front"
    }

    restart {
      attempts = 5
      interval = "1h30m"
      delay    = "20s"
      mode     = "delay"
    }

    task "server" {
      driver       = "raw_exec"
      user         = "nobody"
      kill_timeout = "45s"
      kill_signal  = "SIGINT"
      leader       = true

      config {
        command = "/usr/bin/server"
        args    = ["--name", "${NOMAD_TASK_NAME}", "--dir=${NOMAD_TASK_DIR}/data", "$HOME"]
        port    = 8080
        ratio   = 0.5
        debug   = false
        labels  = { app = "web", "tier.name" = "front" }
        script  = <<-EOT
          echo ${node.unique.id}
          echo $${literal}
        EOT

        mount {
          source = "/a"
          target = "/b"
        }

        mount {
          source   = "/c"
          target   = "/d"
          readonly = true
        }

        logging {
          type = "syslog"
        }
      }

      env {
        PORT     = 8080
        DEBUG    = true
        NODE_DC  = "${node.datacenter}"
        GREETING = "hi ${NOMAD_META_owner}!"
      }

      resources {
        cpu        = 500
        memory     = 256
        memory_max = 512
        cores      = 2
      }

      meta {
        role = "server"
      }

      constraint {
        attribute = "${attr.os.version}"
        version   = ">= 20.04"
      }

      constraint {
        attribute = "${attr.cpu.arch}"
        regexp    = "^(amd64|arm64)$"
      }

      logs {
        max_files     = 4
        max_file_size = 20
      }
    }

    task "sidecar" {
      driver = "raw_exec"

      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
    }
  }

  group "batch-like" {
    restart {
      attempts = 1
    }

    task "once" {
      driver = "raw_exec"
      config {
        command = "true"
      }
      logs {
        max_files = 2
      }
    }
  }
}
