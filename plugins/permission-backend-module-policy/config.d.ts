export interface Config {
  epicshelter?: {
    /**
     * Platform admins: refs of the groups (or users) whose members may create
     * environments for any owner and change every environment, e.g.
     * `group:default/platform-team`. A bare name means a group. Empty or
     * absent: nobody is a platform admin.
     */
    platformAdmins?: string[];
  };
}
