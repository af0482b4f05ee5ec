/** An inclusive range of ports, as Mesos `ports` RANGES resources hold them. */
export interface PortRange {
  begin: number;
  end: number;
}
