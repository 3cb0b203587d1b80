import { CreateEventStore1795959214473 } from './1795959214473-CreateEventStore';
import { AccessTokensAndSourceKeys1795960800000 } from './1795960800000-AccessTokensAndSourceKeys';
import { CreateReadModels1795962000000 } from './1795962000000-CreateReadModels';
import { SigningKeys1795963500000 } from './1795963500000-SigningKeys';
import { IdempotencyOutcomes1795964500000 } from './1795964500000-IdempotencyOutcomes';
import { SourceLedgerByDeltas1795966000000 } from './1795966000000-SourceLedgerByDeltas';
import { CompactCounterTables1795967000000 } from './1795967000000-CompactCounterTables';
import { SourceStatementTimes1795968000000 } from './1795968000000-SourceStatementTimes';
import { ClaimProvisions1795969000000 } from './1795969000000-ClaimProvisions';
import { ReadModelChangePositions1795970000000 } from './1795970000000-ReadModelChangePositions';
import { ClaimSearch1795971000000 } from './1795971000000-ClaimSearch';
import { PublishedPositions1795972000000 } from './1795972000000-PublishedPositions';
import { CivilianCasualties1795973500000 } from './1795973500000-CivilianCasualties';

/** Every migration, in order. Listed explicitly so that compiled and test code load the same set. */
export const migrations = [
  CreateEventStore1795959214473,
  AccessTokensAndSourceKeys1795960800000,
  CreateReadModels1795962000000,
  SigningKeys1795963500000,
  IdempotencyOutcomes1795964500000,
  SourceLedgerByDeltas1795966000000,
  CompactCounterTables1795967000000,
  SourceStatementTimes1795968000000,
  ClaimProvisions1795969000000,
  ReadModelChangePositions1795970000000,
  ClaimSearch1795971000000,
  PublishedPositions1795972000000,
  CivilianCasualties1795973500000,
];
