import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** The Google-managed service agents that act on this stack's resources (CMEK, dead-lettering, alerts). */
export interface ServiceAgents {
  pubsub: pulumi.Output<string>;
  storage: pulumi.Output<string>;
  firestore: pulumi.Output<string>;
  secretManager: pulumi.Output<string>;
  bigQuery: pulumi.Output<string>;
  monitoring: pulumi.Output<string>;
}

export interface ProjectContext {
  project: pulumi.Output<string>;
  projectNumber: pulumi.Output<string>;
  region: pulumi.Output<string>;
  agents: ServiceAgents;
}

/** Service agent emails by project number: https://cloud.google.com/iam/docs/service-agents */
export const serviceAgentsOf = (projectNumber: pulumi.Input<string>): ServiceAgents => ({
  pubsub: pulumi.interpolate`serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`,
  storage: pulumi.interpolate`serviceAccount:service-${projectNumber}@gs-project-accounts.iam.gserviceaccount.com`,
  firestore: pulumi.interpolate`serviceAccount:service-${projectNumber}@gcp-sa-firestore.iam.gserviceaccount.com`,
  secretManager: pulumi.interpolate`serviceAccount:service-${projectNumber}@gcp-sa-secretmanager.iam.gserviceaccount.com`,
  bigQuery: pulumi.interpolate`serviceAccount:bq-${projectNumber}@bigquery-encryption.iam.gserviceaccount.com`,
  monitoring: pulumi.interpolate`serviceAccount:service-${projectNumber}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`,
});

/** The provider's project and region, and the project number the service agents are named by. */
export const projectContext = (parent: pulumi.Resource): ProjectContext => {
  const config = gcp.organizations.getClientConfigOutput({ parent });
  const project = gcp.organizations.getProjectOutput({ projectId: config.project }, { parent });
  const projectNumber = project.number;
  return {
    project: config.project,
    projectNumber,
    region: config.region,
    agents: serviceAgentsOf(projectNumber),
  };
};
