import { Global, Module } from '@nestjs/common';
import { ReadReplicas } from './read-replicas.service';

/** Read replicas for read-model queries, one set per process (DATABASE_READ_URL). */
@Global()
@Module({ providers: [ReadReplicas], exports: [ReadReplicas] })
export class ReadReplicasModule {}
